// RFC 7523 jwt-bearer grant end to end: trust through the admin API, jose-signed assertions, introspection (Cypress oauth2/grant_jwtbearer.js).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { decodeJwt, generateKeyPair } from 'jose'
import { JWT_BEARER, newIssuer, signAssertion, trustIssuer, type TestIssuer } from '../support/jwt-bearer.js'
import { startTokensHarness, type TokensHarness } from '../support/tokens-harness.js'

interface TokenBody { access_token?: string, token_type?: string, scope?: string, expires_in?: number, refresh_token?: string, id_token?: string, error?: string, error_description?: string }

describe('jwt-bearer grant (RFC 7523) end to end', () => {
  let h: TokensHarness
  let issuer: TestIssuer
  let tokenUrl: string
  let client: { client_id: string, client_secret: string }
  before(async () => {
    h = await startTokensHarness({ config: { oauth2: { grant: { jwt: { max_ttl: '1h' } } } } })
    tokenUrl = `${h.warden.publicUrl}oauth2/token`
    issuer = await newIssuer()
    await trustIssuer(h.admin, issuer, { scope: ['read', 'write.*', 'offline_access', 'openid'] })
    client = await h.createClient({ grant_types: [JWT_BEARER], scope: 'read write.all offline_access openid', audience: ['https://api.example/'] })
  })
  after(async () => { await h?.close() })

  async function exchange (assertion: string, extra: Record<string, string | string[]> = {}): Promise<{ status: number, body: TokenBody }> {
    const response = await h.postForm('oauth2/token', { grant_type: JWT_BEARER, assertion, ...extra }, [client.client_id, client.client_secret])
    return { status: response.status, body: await response.json() as TokenBody }
  }

  async function assertInvalid (assertion: string, error: string, hintPart: string, extra: Record<string, string> = {}): Promise<void> {
    const { status, body } = await exchange(assertion, extra)
    assert.equal(status, 400, JSON.stringify(body))
    assert.equal(body.error, error, JSON.stringify(body))
    assert.ok(body.error_description?.includes(hintPart), body.error_description)
  }

  test('a signed assertion buys an access token (no refresh or ID token) that introspects with the assertion subject', async () => {
    const { status, body } = await exchange(await signAssertion(issuer, tokenUrl), { scope: 'read write.all offline_access openid', audience: ['https://api.example/v1', 'https://elsewhere.example/'] })
    assert.equal(status, 200, JSON.stringify(body))
    assert.match(body.access_token ?? '', /^ory_at_/)
    assert.equal(body.token_type, 'bearer')
    assert.equal(body.scope, 'read write.all offline_access openid')
    assert.equal(body.refresh_token, undefined)
    assert.equal(body.id_token, undefined)
    assert.ok(body.expires_in !== undefined && body.expires_in > 3590 && body.expires_in <= 3600)
    const active = await h.introspect(body.access_token as string)
    assert.equal(active['active'], true)
    assert.equal(active['sub'], 'alice@example.com')
    assert.equal(active['client_id'], client.client_id)
    assert.equal(active['scope'], 'read write.all offline_access openid')
    assert.deepEqual(active['aud'], ['https://api.example/v1'], 'audiences the client may not use are dropped; the assertion aud is omitted')
  })

  test('without a kid header every key of the issuer is tried; the issuer URL is accepted as aud; no scope asks none', async () => {
    const { status, body } = await exchange(await signAssertion(issuer, [h.warden.publicUrl, 'https://other.example'], {}, { withKid: false }))
    assert.equal(status, 200, JSON.stringify(body))
    assert.equal(body.scope, '')
    const active = await h.introspect(body.access_token as string)
    assert.equal(active['sub'], 'alice@example.com')
    assert.equal(active['scope'], undefined)
  })

  test('allow_any_subject: any sub is accepted; JWT access tokens carry it as sub', async () => {
    const anyone = await newIssuer()
    await trustIssuer(h.admin, anyone, { allowAnySubject: true, scope: ['read'] })
    const jwtClient = await h.createClient({ grant_types: [JWT_BEARER], scope: 'read', access_token_strategy: 'jwt' })
    const response = await h.postForm('oauth2/token', { grant_type: JWT_BEARER, assertion: await signAssertion(anyone, tokenUrl, { sub: 'robot-42' }), scope: 'read' }, [jwtClient.client_id, jwtClient.client_secret])
    const body = await response.json() as TokenBody
    assert.equal(response.status, 200, JSON.stringify(body))
    const claims = decodeJwt(body.access_token as string)
    assert.equal(claims.sub, 'robot-42')
    assert.equal(claims['client_id'], jwtClient.client_id)
    assert.equal((await h.introspect(body.access_token as string))['sub'], 'robot-42')
  })

  test('unknown issuer, unknown subject, wrong key and an expired trust relationship are invalid_grant', async () => {
    const stranger = await newIssuer()
    await assertInvalid(await signAssertion(stranger, tokenUrl), 'invalid_grant', `No public JWK was registered for issuer '${stranger.issuer}'`)
    await assertInvalid(await signAssertion(issuer, tokenUrl, { sub: 'mallory@example.com' }), 'invalid_grant', 'No public JWK was registered')
    const { privateKey: otherKey } = await generateKeyPair('ES256')
    await assertInvalid(await signAssertion(issuer, tokenUrl, {}, { key: otherKey }), 'invalid_grant', "Unable to verify the integrity of the 'assertion' value.")
    await assertInvalid(await signAssertion(issuer, tokenUrl, {}, { key: otherKey, withKid: false }), 'invalid_grant', 'No public JWK was registered')
    const lapsed = await newIssuer()
    await trustIssuer(h.admin, lapsed, { expiresAt: new Date(Date.now() - 60_000) })
    await assertInvalid(await signAssertion(lapsed, tokenUrl), 'invalid_grant', 'No public JWK was registered')
  })

  test('claim checks: aud, exp, nbf, iat, max_ttl and jti, each with Hydra\'s hint', async () => {
    const now = Math.floor(Date.now() / 1000)
    await assertInvalid(await signAssertion(issuer, 'https://not-me.example/oauth2/token'), 'invalid_grant', "MUST contain an 'aud' (audience) claim containing a value 'http")
    await assertInvalid(await signAssertion(issuer, tokenUrl, { exp: now - 10 }), 'invalid_grant', 'expired')
    await assertInvalid(await signAssertion(issuer, tokenUrl, { exp: undefined }), 'invalid_grant', "MUST contain an 'exp'")
    await assertInvalid(await signAssertion(issuer, tokenUrl, { nbf: now + 60 }), 'invalid_grant', "'nbf' (not before)")
    await assertInvalid(await signAssertion(issuer, tokenUrl, { iat: undefined }), 'invalid_grant', "MUST contain an 'iat'")
    await assertInvalid(await signAssertion(issuer, tokenUrl, { exp: now + 7200 }), 'invalid_grant', 'unreasonably far in the future')
    await assertInvalid(await signAssertion(issuer, tokenUrl, { jti: undefined }), 'invalid_grant', "MUST contain an 'jti'")
    const ok = await exchange(await signAssertion(issuer, tokenUrl, { nbf: now - 60 }))
    assert.equal(ok.status, 200, JSON.stringify(ok.body))
  })

  test('a replayed jti is jti_known; a scope the relationship does not allow is invalid_scope and does not use up the jti', async () => {
    const assertion = await signAssertion(issuer, tokenUrl)
    await assertInvalid(assertion, 'invalid_scope', "is not allowed to request scope 'admin'", { scope: 'read admin' })
    assert.equal((await exchange(assertion, { scope: 'read' })).status, 200)
    await assertInvalid(assertion, 'jti_known', '')
  })

  test('request problems: no assertion, a malformed one, no client credentials, a client without the grant type', async () => {
    await assertInvalid('', 'invalid_request', 'The assertion request parameter must be set')
    await assertInvalid('not.a.jwt', 'invalid_grant', 'Unable to parse JSON Web Token')
    const anonymous = await h.postForm('oauth2/token', { grant_type: JWT_BEARER, assertion: await signAssertion(issuer, tokenUrl) })
    assert.equal(anonymous.status, 400)
    assert.equal((await anonymous.json() as TokenBody).error, 'invalid_request')
    const other = await h.createClient({ grant_types: ['client_credentials'] })
    const refused = await h.postForm('oauth2/token', { grant_type: JWT_BEARER, assertion: await signAssertion(issuer, tokenUrl) }, [other.client_id, other.client_secret])
    assert.equal(refused.status, 400)
    assert.equal((await refused.json() as TokenBody).error, 'unauthorized_client')
  })

  test('a client may list the grant type, and discovery keeps Hydra\'s grant list (Hydra does not advertise jwt-bearer)', async () => {
    const fetched = await h.admin.getOAuth2Client({ id: client.client_id })
    assert.deepEqual(fetched.data.grant_types, [JWT_BEARER])
    const doc = await (await fetch(new URL('.well-known/openid-configuration', h.warden.publicUrl))).json() as { grant_types_supported: string[] }
    assert.ok(!doc.grant_types_supported.includes(JWT_BEARER))
  })
})
