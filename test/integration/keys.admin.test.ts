// The JWK admin API, jwks.json and discovery through the official SDK (@ory/hydra-client) against real listeners.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { JsonWebKey as SdkJsonWebKey } from '@ory/hydra-client'
import { createRemoteJWKSet, importJWK, jwtVerify, SignJWT } from 'jose'
import { ACCESS_TOKEN_SET, ID_TOKEN_SET } from '../../src/keys/keys.service.js'
import { PRIVATE_MEMBERS } from '../../src/keys/jwk.js'
import { signJwt } from '../../src/keys/signing.js'
import { sdkFailure, startKeysHarness, type KeysHarness } from '../support/keys-harness.js'

const ISSUER = 'https://warden.example/tenant'

describe('JSON Web Key admin API (SDK JwkApi)', () => {
  let h: KeysHarness
  before(async () => {
    h = await startKeysHarness({ config: { urls: { self: { issuer: ISSUER } }, webfinger: { jwks: { broadcast_keys: [ID_TOKEN_SET, 'published'] } } } })
  })
  after(async () => { await h?.close() })

  test('createJsonWebKeySet answers 201 with Location and the private key; get returns it', async () => {
    const created = await h.jwk.createJsonWebKeySet({ set: 'sdk-set', createJsonWebKeySet: { alg: 'ES256', kid: 'sdk-1', use: 'sig' } })
    assert.equal(created.status, 201)
    assert.equal(created.headers.location, `${ISSUER}/keys/sdk-set`)
    const [key] = created.data.keys ?? []
    assert.equal(key?.kid, 'sdk-1')
    assert.equal(key?.alg, 'ES256')
    assert.equal(key?.crv, 'P-256')
    assert.ok(key?.d, 'private part returned')
    const fetched = await h.jwk.getJsonWebKeySet({ set: 'sdk-set' })
    assert.deepEqual(fetched.data.keys, created.data.keys)
    const one = await h.jwk.getJsonWebKey({ set: 'sdk-set', kid: 'sdk-1' })
    assert.deepEqual(one.data.keys, created.data.keys)
  })

  test('an empty kid becomes a UUID and use defaults to sig', async () => {
    const created = await h.jwk.createJsonWebKeySet({ set: 'sdk-defaults', createJsonWebKeySet: { alg: 'EdDSA', kid: '', use: '' } })
    assert.match(created.data.keys?.[0]?.kid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(created.data.keys?.[0]?.use, 'sig')
  })

  test('setJsonWebKeySet replaces a set, setJsonWebKey replaces one key, deletes answer 204', async () => {
    const a = (await h.jwk.createJsonWebKeySet({ set: 'source', createJsonWebKeySet: { alg: 'ES384', kid: 'a', use: 'sig' } })).data.keys?.[0] as SdkJsonWebKey
    const b = (await h.jwk.createJsonWebKeySet({ set: 'source', createJsonWebKeySet: { alg: 'RS256', kid: 'b', use: 'sig' } })).data.keys?.[0] as SdkJsonWebKey
    const put = await h.jwk.setJsonWebKeySet({ set: 'replaced', jsonWebKeySet: { keys: [a, b] } })
    assert.equal(put.status, 200)
    assert.deepEqual(put.data.keys?.map((k) => k.kid), ['a', 'b'])
    assert.deepEqual((await h.jwk.getJsonWebKeySet({ set: 'replaced' })).data.keys, [a, b])

    const renamed = await h.jwk.setJsonWebKey({ set: 'replaced', kid: 'a', jsonWebKey: { ...a, use: 'enc' } })
    assert.equal(renamed.data.use, 'enc')
    assert.equal((await h.jwk.getJsonWebKey({ set: 'replaced', kid: 'a' })).data.keys?.[0]?.use, 'enc')

    assert.equal((await h.jwk.deleteJsonWebKey({ set: 'replaced', kid: 'a' })).status, 204)
    assert.equal((await sdkFailure(h.jwk.getJsonWebKey({ set: 'replaced', kid: 'a' }))).status, 404)
    assert.equal((await h.jwk.deleteJsonWebKeySet({ set: 'replaced' })).status, 204)
    const gone = await sdkFailure(h.jwk.getJsonWebKeySet({ set: 'replaced' }))
    assert.equal(gone.status, 404)
    assert.deepEqual(gone.data, { error: 'Not Found', error_description: 'Unable to locate the requested resource' })
  })

  test('bad input is a 4xx in the error format', async () => {
    const badAlg = await sdkFailure(h.jwk.createJsonWebKeySet({ set: 'bad', createJsonWebKeySet: { alg: 'HS256', kid: '', use: 'sig' } }))
    assert.equal(badAlg.status, 400)
    assert.equal(badAlg.data.error, 'Bad Request')
    assert.match(badAlg.data.error_description, /^Unsupported key algorithm .*RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA/)
    const malformed = await sdkFailure(h.jwk.setJsonWebKeySet({ set: 'bad', jsonWebKeySet: { keys: [{ kty: 'RSA', kid: 'x', alg: 'RS256', use: 'sig', n: 'AQAB' }] } }))
    assert.equal(malformed.status, 400)
    assert.equal(malformed.data.error, 'The request was malformed or contained invalid parameters')
    assert.match(malformed.data.error_description, /JSON Web Key is invalid/)
    assert.equal((await sdkFailure(h.jwk.setJsonWebKey({ set: 'bad', kid: 'k', jsonWebKey: { kty: 'EC', kid: 'k', alg: 'ES256', use: 'sig' } }))).status, 400)
    const duplicate = await sdkFailure(h.jwk.createJsonWebKeySet({ set: 'sdk-set', createJsonWebKeySet: { alg: 'ES256', kid: 'sdk-1', use: 'sig' } }))
    assert.equal(duplicate.status, 409)

    const raw = async (method: string, path: string, body: string): Promise<Response> => await fetch(new URL(path, h.servers.adminUrl), { method, body, headers: { 'content-type': 'application/json' } })
    for (const [method, path, body] of [
      ['POST', '/admin/keys/bad', '{"alg":'],
      ['POST', '/admin/keys/bad', '{"alg":"ES256","alg":"RS256"}'],
      ['POST', '/admin/keys/bad', '[]'],
      ['POST', '/admin/keys/bad', '{"alg":7}'],
      ['PUT', '/admin/keys/bad', '{"keys":{}}'],
      ['PUT', '/admin/keys/bad/k', '"text"']
    ] as const) {
      const response = await raw(method, path, body)
      assert.equal(response.status, 400, `${method} ${path} ${body}`)
      assert.ok(typeof (await response.json() as { error?: unknown }).error === 'string')
    }
  })

  test('the un-prefixed admin path and URL-encoded set names work', async () => {
    const set = 'https://issuer.example/trust'
    await h.jwk.createJsonWebKeySet({ set, createJsonWebKeySet: { alg: 'ES256', kid: 'x', use: 'sig' } })
    const response = await fetch(new URL(`/keys/${encodeURIComponent(set)}`, h.servers.adminUrl))
    assert.equal(response.status, 200)
    assert.equal(((await response.json()) as { keys: SdkJsonWebKey[] }).keys[0]?.kid, 'x')
  })
})

describe('public key discovery (SDK WellknownApi, jose)', () => {
  let h: KeysHarness
  before(async () => {
    h = await startKeysHarness({ config: { urls: { self: { issuer: ISSUER } }, webfinger: { jwks: { broadcast_keys: [ID_TOKEN_SET, 'published'] } } } })
  })
  after(async () => { await h?.close() })

  test('jwks.json publishes only public parts of the default and broadcast sets', async () => {
    await h.jwk.createJsonWebKeySet({ set: 'published', createJsonWebKeySet: { alg: 'ES512', kid: 'pub-1', use: 'sig' } })
    await h.jwk.createJsonWebKeySet({ set: 'private-set', createJsonWebKeySet: { alg: 'ES256', kid: 'hidden', use: 'sig' } })
    const { data } = await h.wellknown.discoverJsonWebKeys()
    const expected = [
      ...(await h.keys.getKeySet(ID_TOKEN_SET)).map((k) => k.kid),
      'pub-1',
      ...(await h.keys.getKeySet(ACCESS_TOKEN_SET)).map((k) => k.kid)
    ]
    assert.deepEqual(data.keys?.map((k) => k.kid), expected)
    for (const key of data.keys ?? []) {
      for (const member of PRIVATE_MEMBERS) assert.equal(member in key, false, `${member} must not be published (${key.kid})`)
    }
  })

  test('a token signed with the private key verifies against the published keys', async () => {
    const jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', h.servers.publicUrl))
    // Our node:crypto signer (the server's hot path) ...
    const signer = await h.keys.signingKey(ID_TOKEN_SET)
    const ours = signJwt(signer, { sub: 'alice', iss: ISSUER, aud: 'client' })
    const verified = await jwtVerify(ours, jwks, { issuer: ISSUER, audience: 'client' })
    assert.equal(verified.protectedHeader.kid, signer.kid)
    assert.equal(verified.protectedHeader.alg, 'RS256')
    // ... and jose signing with the private JWK the admin API returns.
    const [privateJwk] = (await h.jwk.getJsonWebKeySet({ set: ACCESS_TOKEN_SET })).data.keys ?? []
    assert.ok(privateJwk)
    const theirs = await new SignJWT({ sub: 'bob' }).setProtectedHeader({ alg: privateJwk.alg, kid: privateJwk.kid })
      .sign(await importJWK(privateJwk as unknown as Parameters<typeof importJWK>[0], privateJwk.alg))
    assert.equal((await jwtVerify(theirs, jwks)).payload.sub, 'bob')
  })

  test('jwks.json carries an ETag, answers 304 to If-None-Match, and changes when keys change', async () => {
    const url = new URL('.well-known/jwks.json', h.servers.publicUrl)
    const first = await fetch(url)
    const etag = first.headers.get('etag')
    assert.ok(etag)
    assert.match(first.headers.get('content-type') ?? '', /^application\/json/)
    const again = await fetch(url, { headers: { 'if-none-match': etag } })
    assert.equal(again.status, 304)
    assert.equal(await again.text(), '')
    assert.equal((await fetch(url, { headers: { 'if-none-match': `W/${etag}, "other"` } })).status, 304)
    await h.jwk.createJsonWebKeySet({ set: ACCESS_TOKEN_SET, createJsonWebKeySet: { alg: 'ES256', kid: 'rotated', use: 'sig' } })
    const changed = await fetch(url, { headers: { 'if-none-match': etag } })
    assert.equal(changed.status, 200)
    assert.notEqual(changed.headers.get('etag'), etag)
  })

  test('discovery: issuer verbatim, keys from config, alg of the ID-token key, identical RFC 8414 alias', async () => {
    const { data } = await h.oidc.discoverOidcConfiguration()
    assert.equal(data.issuer, ISSUER)
    assert.equal(data.jwks_uri, `${ISSUER}/.well-known/jwks.json`)
    assert.deepEqual(data.id_token_signing_alg_values_supported, ['RS256'])
    assert.deepEqual(data.id_token_signed_response_alg, ['RS256'])
    assert.deepEqual(data.subject_types_supported, ['public'])
    assert.deepEqual(data.scopes_supported, ['offline_access', 'offline', 'openid'])
    assert.deepEqual(data.claims_supported, ['sub'])
    // Nothing of the OAuth2 flows exists yet, so nothing of it is advertised.
    assert.equal(data.authorization_endpoint, undefined)
    assert.equal(data.token_endpoint, undefined)
    assert.deepEqual(data.grant_types_supported, [])
    const first = await fetch(new URL('.well-known/openid-configuration', h.servers.publicUrl))
    const alias = await fetch(new URL('.well-known/oauth-authorization-server', h.servers.publicUrl))
    assert.equal(await alias.text(), await first.text())
    const etag = first.headers.get('etag')
    assert.ok(etag)
    assert.equal((await fetch(new URL('.well-known/openid-configuration', h.servers.publicUrl), { headers: { 'if-none-match': etag } })).status, 304)

    // Rotating the ID-token key to another algorithm changes the advertised alg.
    await h.jwk.createJsonWebKeySet({ set: ID_TOKEN_SET, createJsonWebKeySet: { alg: 'ES256', kid: 'es', use: 'sig' } })
    assert.deepEqual((await h.oidc.discoverOidcConfiguration()).data.id_token_signing_alg_values_supported, ['ES256'])
  })
})
