// JWK helpers: the public projection, member order, and the caches the public documents are served from.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { ManualClock } from '../lib/clock.js'
import { cachedJsonResponse, matchesIfNoneMatch, toCachedJson } from '../lib/cached-json.js'
import { isPrivateJwk, normaliseJwk, parseJwk, PRIVATE_MEMBERS, toPublicJwk } from './jwk.js'
import type { Jwk } from './jwk.js'
import { RefreshingCache } from './refreshing-cache.js'
import { canSign, signingAlgorithmOf } from './signing.js'

const rsaPrivate = (): Jwk => ({ ...generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }), kid: 'r', alg: 'RS256', use: 'sig' }) as Jwk

describe('JWK helpers', () => {
  test('the public projection keeps only public members, whatever else the key carries', () => {
    const key = { ...rsaPrivate(), x5c: ['MIIB'], unknown_secret: 'leak?' } as unknown as Jwk
    const publicKey = toPublicJwk(key)
    assert.ok(publicKey)
    assert.deepEqual(Object.keys(publicKey), ['use', 'kty', 'kid', 'alg', 'n', 'e', 'x5c'])
    for (const member of PRIVATE_MEMBERS) assert.equal(member in publicKey, false)
    assert.equal(toPublicJwk({ kty: 'oct', kid: 'h', k: 'c2VjcmV0' }), undefined)
    const ec = toPublicJwk({ ...generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' }), kid: 'e' } as Jwk)
    assert.deepEqual(Object.keys(ec ?? {}), ['kty', 'kid', 'crv', 'x', 'y'])
  })

  test('members come out in go-jose order; parsing drops unknown and empty members', () => {
    const parsed = parseJwk({ e: 'AQAB', kid: 'k', extra: 1, x5c: [], alg: '', ...toPublicJwk(rsaPrivate()), use: 'sig' })
    assert.deepEqual(Object.keys(parsed), ['use', 'kty', 'kid', 'alg', 'n', 'e'])
    assert.deepEqual(Object.keys(normaliseJwk({ n: 'x', kty: 'RSA', e: 'AQAB', kid: 'a', use: 'sig' })), ['use', 'kty', 'kid', 'n', 'e'])
  })

  test('private, signing-capable keys and their algorithm', () => {
    const rsa = rsaPrivate()
    assert.equal(isPrivateJwk(rsa), true)
    assert.equal(canSign(rsa), true)
    assert.equal(canSign({ ...rsa, use: 'enc' }), false)
    assert.equal(canSign(toPublicJwk(rsa) as Jwk), false)
    assert.equal(canSign({ kty: 'oct', kid: 'h', k: 'c2VjcmV0', alg: 'HS256' }), false)
    const { alg: _alg, ...noAlg } = rsa
    assert.equal(signingAlgorithmOf(noAlg), 'RS256')
    assert.equal(signingAlgorithmOf({ kty: 'EC', kid: 'e', crv: 'P-521' }), 'ES512')
    assert.equal(signingAlgorithmOf({ kty: 'OKP', kid: 'o', crv: 'Ed25519' }), 'EdDSA')
    assert.equal(signingAlgorithmOf({ ...rsa, alg: 'RSA-OAEP' }), undefined)
  })
})

describe('cached JSON documents', () => {
  test('If-None-Match uses weak comparison, lists and *', () => {
    const doc = toCachedJson({ a: 1 })
    assert.match(doc.etag, /^"[A-Za-z0-9_-]+"$/)
    assert.equal(matchesIfNoneMatch(undefined, doc.etag), false)
    assert.equal(matchesIfNoneMatch(doc.etag, doc.etag), true)
    assert.equal(matchesIfNoneMatch(`"x", W/${doc.etag}`, doc.etag), true)
    assert.equal(matchesIfNoneMatch('*', doc.etag), true)
    assert.equal(matchesIfNoneMatch('"other"', doc.etag), false)
    assert.equal(toCachedJson({ a: 1 }).etag, doc.etag)
    assert.notEqual(toCachedJson({ a: 2 }).etag, doc.etag)
    assert.deepEqual(cachedJsonResponse(doc, doc.etag), { statusCode: 304, headers: { etag: doc.etag }, body: undefined })
    assert.equal(cachedJsonResponse(doc, undefined).body, doc.body)
  })

  test('RefreshingCache loads once for concurrent callers, expires by the clock, and ignores loads overtaken by clear()', async () => {
    const clock = new ManualClock()
    const cache = new RefreshingCache<string, number>(clock, 1000)
    let loads = 0
    const load = async (): Promise<number> => { loads++; await Promise.resolve(); return loads }
    assert.deepEqual(await Promise.all([cache.get('k', load), cache.get('k', load)]), [1, 1])
    assert.equal(await cache.get('k', load), 1)
    clock.advance(1001)
    assert.equal(await cache.get('k', load), 2)
    let release: (value: number) => void = () => {}
    const slow = cache.get('k2', async () => await new Promise<number>((resolve) => { release = resolve }))
    cache.clear()
    release(10)
    assert.equal(await slow, 10)
    assert.equal(await cache.get('k2', async () => 11), 11, 'the value loaded before clear() was not kept')
    await assert.rejects(cache.get('k3', async () => { throw new Error('boom') }), /boom/)
    assert.equal(await cache.get('k3', async () => 3), 3, 'a failed load is not cached')
  })
})
