// ID token claims (hydra-api.md §4.5): standard claims win, at_hash / c_hash per alg, optional claims.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { halfHash, idTokenClaims } from './id-token.js'

const session = { clientSubject: 'pairwise-1', idTokenClaims: { email: 'a@b', sub: 'spoof', iss: 'spoof' }, authTimeMs: 10_000, requestedAtMs: 9_000, acr: '1', amr: ['pwd'], sid: 's1', nonce: 'n-0123456789' }

test('claims of an ID token', () => {
  const claims = idTokenClaims({ issuer: 'https://op/', clientId: 'rp', session, issuedAtMs: 20_000, lifespanMs: 3_600_000, accessToken: 'at', code: 'c' }, 'RS256')
  assert.equal(claims['sub'], 'pairwise-1')
  assert.equal(claims['iss'], 'https://op/')
  assert.deepEqual(claims['aud'], ['rp'])
  assert.equal(claims['email'], 'a@b')
  assert.equal(claims['iat'], 20)
  assert.equal(claims['exp'], 3620)
  assert.equal(claims['auth_time'], 10)
  assert.equal(claims['rat'], 9)
  assert.equal(claims['nonce'], 'n-0123456789')
  assert.equal(claims['sid'], 's1')
  assert.equal(claims['acr'], '1')
  assert.deepEqual(claims['amr'], ['pwd'])
  assert.equal(claims['at_hash'], createHash('sha256').update('at').digest().subarray(0, 16).toString('base64url'))
  assert.equal(claims['c_hash'], halfHash('c', 'RS256'))
})

test('optional claims are left out when empty; hash length follows the alg', () => {
  const claims = idTokenClaims({ issuer: 'i', clientId: 'rp', session: { ...session, nonce: '', acr: '', amr: [], sid: '', authTimeMs: null }, issuedAtMs: 5000, lifespanMs: 0 }, 'ES384')
  for (const key of ['nonce', 'acr', 'amr', 'sid', 'at_hash', 'c_hash']) assert.equal(claims[key], undefined, key)
  assert.equal(claims['auth_time'], 5)
  assert.equal(Buffer.from(halfHash('x', 'ES384'), 'base64url').length, 24)
  assert.equal(Buffer.from(halfHash('x', 'EdDSA'), 'base64url').length, 32)
})
