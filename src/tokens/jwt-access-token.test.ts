// JWT access token claims (hydra-api.md §4.4) and signature verification with cached KeyObjects.
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { systemClock } from '../lib/clock.js'
import { signJwt, toSigningKey } from '../keys/signing.js'
import type { Jwk } from '../keys/jwk.js'
import { JwtSignatureVerifier, accessTokenClaims } from './jwt-access-token.js'

const input = { issuer: 'https://issuer/', subject: 'alice', clientId: 'app', audience: ['https://api/'], scope: ['a', 'b'], issuedAtMs: 1_000_000, expiresAtMs: 4_600_000, ext: { tenant: 't', iss: 'evil', other: 1 } }
const options = { scopeClaim: 'list' as const, excludeNotBeforeClaim: false, allowedTopLevelClaims: ['tenant', 'iss'], mirrorTopLevelClaims: true, preserveExtClaims: false }

test('claims: scp list, nbf, ext mirrored, allowed top-level keys promoted, reserved ones never overridden', () => {
  const claims = accessTokenClaims(input, options)
  assert.equal(claims['iss'], 'https://issuer/')
  assert.equal(claims['tenant'], 't')
  assert.deepEqual(claims['scp'], ['a', 'b'])
  assert.equal(claims['scope'], undefined)
  assert.equal(claims['nbf'], 1000)
  assert.equal(claims['exp'], 4600)
  assert.deepEqual(claims['ext'], input.ext)
})

test('claims: string/both scope claims, no nbf, ext without mirroring', () => {
  const both = accessTokenClaims(input, { ...options, scopeClaim: 'both', excludeNotBeforeClaim: true })
  assert.equal(both['scope'], 'a b')
  assert.deepEqual(both['scp'], ['a', 'b'])
  assert.equal(both['nbf'], undefined)
  assert.equal(accessTokenClaims(input, { ...options, mirrorTopLevelClaims: false })['ext'], undefined)
  assert.deepEqual(accessTokenClaims(input, { ...options, mirrorTopLevelClaims: false, preserveExtClaims: true })['ext'], { iss: 'evil', other: 1 })
})

test('the verifier accepts our signature and rejects tampering and unknown kids', async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' } as unknown as Jwk
  const key = toSigningKey(jwk)
  const verifier = new JwtSignatureVerifier(async () => [key.publicJwk], systemClock)
  const token = signJwt(key, { sub: 'alice' })
  assert.deepEqual(await verifier.verify(token), { sub: 'alice' })
  const [header, , signature] = token.split('.')
  assert.equal(await verifier.verify(`${header}.${Buffer.from('{"sub":"bob"}').toString('base64url')}.${signature}`), undefined)
  const otherKey = toSigningKey({ ...jwk, kid: 'k2' })
  assert.equal(await verifier.verify(signJwt(otherKey, { sub: 'alice' })), undefined)
  assert.equal(await verifier.verify('a.b.c'), undefined)
})
