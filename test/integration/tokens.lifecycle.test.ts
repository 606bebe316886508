// Userinfo variants, refresh rules (narrowing, grace period, foreign client), expiry, flush — with a manual clock.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { compactVerify, createLocalJWKSet, decodeJwt, type JSONWebKeySet } from 'jose'
import type { OAuth2Client } from '@ory/hydra-client'
import { ManualClock } from '../../src/lib/clock.js'
import { createFlowClient, exchangeCode, runAuthorizationCodeFlow } from '../support/fake-login-consent-app.js'
import { startTokensHarness, type TokensHarness } from '../support/tokens-harness.js'

describe('token lifecycle', () => {
  let h: TokensHarness
  let rp: OAuth2Client
  const clock = new ManualClock(new Date())
  before(async () => {
    h = await startTokensHarness({ clock, config: { oauth2: { grant: { refresh_token: { rotation_grace_period: '1m', rotation_grace_reuse_count: 2 } } } } })
    rp = await createFlowClient(h.warden)
  })
  after(async () => { await h?.close() })

  async function issue (client: OAuth2Client = rp, scope = 'openid offline profile'): Promise<Record<string, string>> {
    const { code } = await runAuthorizationCodeFlow({ warden: h.warden, client, scope, consent: { session: { id_token: { name: 'Alice' } } } })
    const { status, body } = await exchangeCode(h.warden, client, code)
    assert.equal(status, 200, JSON.stringify(body))
    return body as Record<string, string>
  }
  const refresh = async (token: string, extra: Record<string, string> = {}, client: OAuth2Client = rp): Promise<{ status: number, body: Record<string, string> }> => {
    const response = await h.postForm('oauth2/token', { grant_type: 'refresh_token', refresh_token: token, ...extra }, [client.client_id ?? '', client.client_secret ?? ''])
    return { status: response.status, body: await response.json() as Record<string, string> }
  }
  const userinfo = async (init: RequestInit & { query?: string } = {}): Promise<Response> => await fetch(new URL(`userinfo${init.query ?? ''}`, h.warden.publicUrl), init)

  test('userinfo: header, form body, query; refresh token and no token are 401 with WWW-Authenticate', async () => {
    const tokens = await issue()
    const byHeader = await userinfo({ headers: { authorization: `Bearer ${tokens['access_token']}` } })
    assert.equal(byHeader.status, 200)
    const claims = await byHeader.json() as Record<string, unknown>
    assert.equal(claims['sub'], 'alice@example.com')
    assert.equal(claims['name'], 'Alice')
    assert.deepEqual(claims['aud'], [rp.client_id])
    for (const absent of ['nonce', 'at_hash', 'exp', 'jti', 'sid']) assert.equal(claims[absent], undefined, absent)
    const byBody = await userinfo({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `access_token=${tokens['access_token']}` })
    assert.equal(byBody.status, 200)
    const withRefresh = await userinfo({ headers: { authorization: `Bearer ${tokens['refresh_token']}` } })
    assert.equal(withRefresh.status, 401)
    assert.match(withRefresh.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/)
    const none = await userinfo()
    assert.equal(none.status, 401)
    assert.match(none.headers.get('www-authenticate') ?? '', /error="request_unauthorized"/)
  })

  test('authorize_code: a skip_consent client completes with an auto-accepted consent', async () => {
    const skipping = await createFlowClient(h.warden, { skip_consent: true })
    // skip_consent is a hint for the consent UI (Hydra never skips it itself); the fake UI accepts at once.
    assert.equal(skipping.skip_consent, true)
    const { code } = await runAuthorizationCodeFlow({ warden: h.warden, client: skipping, scope: 'openid offline_access' })
    const { status, body } = await exchangeCode(h.warden, skipping, code)
    assert.equal(status, 200)
    assert.ok(body['id_token'] !== undefined && body['refresh_token'] !== undefined)
  })

  test('a public client exchanges its code with PKCE and token_endpoint_auth_method none', async () => {
    const spa = await createFlowClient(h.warden, { token_endpoint_auth_method: 'none' })
    const verifier = 'v'.repeat(64)
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const { code } = await runAuthorizationCodeFlow({ warden: h.warden, client: spa, scope: 'openid', params: { code_challenge: challenge, code_challenge_method: 'S256' } })
    const response = await h.postForm('oauth2/token', { grant_type: 'authorization_code', code, client_id: spa.client_id ?? '', redirect_uri: spa.redirect_uris?.[0] ?? '', code_verifier: verifier })
    assert.equal(response.status, 200, await response.clone().text())
  })

  test('userinfo is a signed JWT when the client asks for RS256', async () => {
    const signed = await createFlowClient(h.warden, { userinfo_signed_response_alg: 'RS256' })
    const tokens = await issue(signed)
    const response = await userinfo({ headers: { authorization: `Bearer ${tokens['access_token']}` } })
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^application\/jwt/)
    const jwt = await response.text()
    const jwks = await (await fetch(new URL('.well-known/jwks.json', h.warden.publicUrl))).json() as JSONWebKeySet
    await compactVerify(jwt, createLocalJWKSet(jwks))
    assert.equal(decodeJwt(jwt).sub, 'alice@example.com')
  })

  test('refresh: narrowing is allowed, widening refused; another client cannot use the token', async () => {
    const tokens = await issue()
    const wider = await refresh(tokens['refresh_token'] ?? '', { scope: 'openid offline email' })
    assert.equal(wider.status, 400)
    assert.equal(wider.body['error'], 'invalid_scope')
    const other = await createFlowClient(h.warden)
    const foreign = await refresh(tokens['refresh_token'] ?? '', {}, other)
    assert.equal(foreign.body['error'], 'invalid_grant')
    const narrow = await refresh(tokens['refresh_token'] ?? '', { scope: 'offline' })
    assert.equal(narrow.status, 200)
    assert.equal(narrow.body['scope'], 'offline')
    assert.equal(narrow.body['id_token'], undefined)
    // The new refresh token keeps the full grant.
    const full = await refresh(narrow.body['refresh_token'] ?? '')
    assert.equal(full.body['scope'], 'openid offline profile')
    assert.ok(full.body['id_token'] !== undefined)
  })

  test('refresh without offline → no refresh token; grace period allows reuse count times, then the chain goes', async () => {
    const noOffline = await issue(rp, 'openid')
    assert.equal(noOffline['refresh_token'], undefined)
    const tokens = await issue()
    const first = await refresh(tokens['refresh_token'] ?? '')
    assert.equal(first.status, 200)
    clock.advance(10_000)
    const second = await refresh(tokens['refresh_token'] ?? '')
    assert.equal(second.status, 200, 'second use within the grace period and reuse count')
    assert.equal((await h.introspect(first.body['access_token'] ?? ''))['active'], true, 'graceful mode keeps sibling access tokens')
    const third = await refresh(tokens['refresh_token'] ?? '')
    assert.equal(third.body['error'], 'invalid_grant')
    for (const token of [first.body['access_token'], first.body['refresh_token'], second.body['refresh_token']]) {
      assert.deepEqual(await h.introspect(token ?? ''), { active: false })
    }
  })

  test('expired tokens are inactive; flush deletes expired rows and keeps live ones', async () => {
    const tokens = await issue()
    clock.advance(2 * 3_600_000)
    assert.deepEqual(await h.introspect(tokens['access_token'] ?? ''), { active: false })
    assert.equal((await h.introspect(tokens['refresh_token'] ?? ''))['active'], true)
    const live = await refresh(tokens['refresh_token'] ?? '')
    assert.equal(live.status, 200)
    const flush = await fetch(new URL('oauth2/flush', h.warden.adminUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ notAfter: clock.now().toISOString() }) })
    assert.equal(flush.status, 204)
    assert.equal((await h.introspect(live.body['access_token'] ?? ''))['active'], true)
    const bad = await fetch(new URL('admin/oauth2/flush', h.warden.adminUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"notAfter":"yesterday"}' })
    assert.equal(bad.status, 400)
  })
})
