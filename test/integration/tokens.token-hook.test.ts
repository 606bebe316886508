// oauth2.token_hook end to end (hydra-api.md §4.12): a real HTTP receiver sees client_credentials, authorization_code,
// refresh_token and jwt-bearer requests; its claims reach introspection `ext`, the JWT access token and the ID token;
// 204 changes nothing; 403, 500 and an unreachable hook give Hydra's errors and leave codes and refresh tokens unused.
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose'
import type { OAuth2Client } from '@ory/hydra-client'
import { testDialects } from '../support/databases.js'
import { createFlowClient, exchangeCode, runAuthorizationCodeFlow } from '../support/fake-login-consent-app.js'
import { startHookReceiver, unreachableUrl, type HookCall, type HookReceiver } from '../support/hook-receiver.js'
import { JWT_BEARER, newIssuer, signAssertion, trustIssuer } from '../support/jwt-bearer.js'
import { startTokensHarness, type TokensHarness } from '../support/tokens-harness.js'

const CONSENT_SESSION = { access_token: { tenant: 't-1' }, id_token: { email: 'alice@example.com' } }
const HOOKED = { session: { access_token: { plan: 'gold', tenant: 't-2' }, id_token: { nickname: 'al' } } }

type Body = Record<string, unknown>
const requestOf = (call: HookCall | undefined): Body => (call?.body['request'] ?? {}) as Body
const sessionOf = (call: HookCall | undefined): Record<string, any> => (call?.body['session'] ?? {}) as Record<string, any>

function hookConfig (url: string) {
  return { oauth2: { token_hook: { url, auth: { type: 'api_key' as const, config: { in: 'header' as const, name: 'X-Hook-Key', value: 'hook-secret' } } } } }
}

async function tokenRequest (h: TokensHarness, form: Record<string, string>, auth: [string, string]): Promise<{ status: number, body: Body }> {
  const response = await h.postForm('oauth2/token', form, auth)
  return { status: response.status, body: await response.json() as Body }
}

for (const entry of testDialects()) {
  describe(`token hook with JWT access tokens on ${entry.dialect}`, () => {
    let receiver: HookReceiver
    let h: TokensHarness
    let rp: OAuth2Client
    let jwks: ReturnType<typeof createRemoteJWKSet>
    before(async () => {
      receiver = await startHookReceiver()
      h = await startTokensHarness({ dialect: entry, config: { ...hookConfig(receiver.url), strategies: { access_token: 'jwt' } } })
      rp = await createFlowClient(h.warden)
      jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', h.warden.publicUrl))
    })
    after(async () => {
      await h?.close()
      await receiver?.close()
      await entry.dropFreshDatabases()
    })
    beforeEach(() => {
      receiver.calls.length = 0
      receiver.answer = () => ({ status: 200, body: HOOKED })
    })

    async function code (scope: string): Promise<string> {
      const { code } = await runAuthorizationCodeFlow({ warden: h.warden, client: rp, scope, consent: { grant_scope: scope.split(' '), session: CONSENT_SESSION } })
      return code
    }

    test('client_credentials: the hook sees the request; its claims are in the JWT and in introspection ext', async () => {
      const cc = await h.createClient({ grant_types: ['client_credentials'], scope: 'read write' })
      const { status, body } = await tokenRequest(h, { grant_type: 'client_credentials', scope: 'read' }, [cc.client_id, cc.client_secret])
      assert.equal(status, 200, JSON.stringify(body))
      const [call] = receiver.calls
      assert.equal(receiver.calls.length, 1)
      assert.equal(call?.headers['x-hook-key'], 'hook-secret')
      assert.equal(call?.headers['content-type'], 'application/json; charset=UTF-8')
      assert.deepEqual(requestOf(call), {
        client_id: cc.client_id,
        requested_scopes: ['read'],
        granted_scopes: ['read'],
        granted_audience: [],
        grant_types: ['client_credentials'],
        payload: { grant_type: ['client_credentials'], scope: ['read'] }
      })
      assert.deepEqual(sessionOf(call)['extra'], {})
      assert.equal(sessionOf(call)['id_token'].subject, cc.client_id)
      const { payload } = await jwtVerify(body['access_token'] as string, jwks)
      assert.deepEqual(payload['ext'], HOOKED.session.access_token)
      assert.deepEqual((await h.introspect(body['access_token'] as string))['ext'], HOOKED.session.access_token)
    })

    test('authorization_code then refresh: hooked claims replace the consent session in every token, and persist', async () => {
      const { status, body } = await exchangeCode(h.warden, rp, await code('openid offline_access'))
      assert.equal(status, 200, JSON.stringify(body))
      const [call] = receiver.calls
      assert.deepEqual(requestOf(call)['grant_types'], ['authorization_code'])
      assert.deepEqual(requestOf(call)['granted_scopes'], ['openid', 'offline_access'])
      assert.deepEqual(requestOf(call)['payload'], { grant_type: ['authorization_code'] }, 'the code, secrets and redirect_uri are not shown')
      assert.deepEqual(sessionOf(call)['extra'], CONSENT_SESSION.access_token)
      assert.equal(sessionOf(call)['id_token'].id_token_claims.ext.email, 'alice@example.com')
      assert.equal(sessionOf(call)['id_token'].subject, 'alice@example.com')
      assert.equal(sessionOf(call)['client_id'], rp.client_id)

      const { payload: access } = await jwtVerify(body['access_token'] as string, jwks)
      assert.deepEqual(access['ext'], HOOKED.session.access_token)
      assert.deepEqual((await h.introspect(body['access_token'] as string))['ext'], HOOKED.session.access_token)
      const { payload: id } = await jwtVerify(body['id_token'] as string, jwks)
      assert.equal(id['nickname'], 'al')
      assert.equal(id['email'], undefined, 'the hook replaces the ID-token claims')
      assert.equal(id['sub'], 'alice@example.com')

      // The refresh hook sees what the first hook left; 204 keeps it in the new tokens.
      receiver.calls.length = 0
      receiver.answer = () => ({ status: 204 })
      const refreshed = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: body['refresh_token'] as string }, [rp.client_id ?? '', rp.client_secret ?? ''])
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body))
      assert.deepEqual(requestOf(receiver.calls[0])['grant_types'], ['refresh_token'])
      assert.deepEqual(sessionOf(receiver.calls[0])['extra'], HOOKED.session.access_token)
      assert.deepEqual(decodeJwt(refreshed.body['access_token'] as string)['ext'], HOOKED.session.access_token)
      assert.equal(decodeJwt(refreshed.body['id_token'] as string)['nickname'], 'al')
      assert.deepEqual((await h.introspect(refreshed.body['access_token'] as string))['ext'], HOOKED.session.access_token)
    })

    test('204 leaves the consent session\'s claims as they are', async () => {
      receiver.answer = () => ({ status: 204 })
      const { status, body } = await exchangeCode(h.warden, rp, await code('openid'))
      assert.equal(status, 200, JSON.stringify(body))
      assert.equal(receiver.calls.length, 1)
      assert.deepEqual(decodeJwt(body['access_token'] as string)['ext'], CONSENT_SESSION.access_token)
      assert.equal(decodeJwt(body['id_token'] as string)['email'], 'alice@example.com')
      assert.deepEqual((await h.introspect(body['access_token'] as string))['ext'], CONSENT_SESSION.access_token)
    })

    test('jwt-bearer: the hook sees the assertion in the payload', async () => {
      const issuer = await newIssuer()
      await trustIssuer(h.admin, issuer, { scope: ['read'] })
      const bearer = await h.createClient({ grant_types: [JWT_BEARER], scope: 'read' })
      const assertion = await signAssertion(issuer, `${h.warden.publicUrl}oauth2/token`)
      const { status, body } = await tokenRequest(h, { grant_type: JWT_BEARER, assertion, scope: 'read' }, [bearer.client_id, bearer.client_secret])
      assert.equal(status, 200, JSON.stringify(body))
      assert.deepEqual(requestOf(receiver.calls[0])['payload'], { grant_type: [JWT_BEARER], assertion: [assertion], scope: ['read'] })
      assert.deepEqual((await h.introspect(body['access_token'] as string))['ext'], HOOKED.session.access_token)
    })
  })
}

describe('token hook failures', () => {
  let receiver: HookReceiver
  let h: TokensHarness
  let rp: OAuth2Client
  before(async () => {
    receiver = await startHookReceiver()
    h = await startTokensHarness({ config: hookConfig(receiver.url) })
    rp = await createFlowClient(h.warden)
  })
  after(async () => {
    await h?.close()
    await receiver?.close()
  })

  test('403 is access_denied; the code and the refresh token stay usable', async () => {
    receiver.answer = () => ({ status: 204 })
    const { code } = await runAuthorizationCodeFlow({ warden: h.warden, client: rp, scope: 'openid offline_access', consent: { grant_scope: ['openid', 'offline_access'] } })
    receiver.answer = () => ({ status: 403 })
    const denied = await exchangeCode(h.warden, rp, code)
    assert.equal(denied.status, 403, JSON.stringify(denied.body))
    assert.equal(denied.body['error'], 'access_denied')
    receiver.answer = () => ({ status: 204 })
    const issued = await exchangeCode(h.warden, rp, code)
    assert.equal(issued.status, 200, JSON.stringify(issued.body))

    const auth: [string, string] = [rp.client_id ?? '', rp.client_secret ?? '']
    const form = { grant_type: 'refresh_token', refresh_token: issued.body['refresh_token'] as string }
    receiver.answer = () => ({ status: 403 })
    assert.equal((await tokenRequest(h, form, auth)).body['error'], 'access_denied')
    receiver.answer = () => ({ status: 204 })
    assert.equal((await tokenRequest(h, form, auth)).status, 200)
  })

  test('a hook that keeps answering 500, and an unreachable hook, are server_error', async () => {
    const unreachable = await startTokensHarness({ config: hookConfig(await unreachableUrl()) })
    try {
      receiver.calls.length = 0
      receiver.answer = () => ({ status: 500 })
      const broken = await h.createClient({ grant_types: ['client_credentials'] })
      const lost = await unreachable.createClient({ grant_types: ['client_credentials'] })
      // Both retry twice (1 s, then 2 s), so they run side by side.
      const [failing, gone] = await Promise.all([
        tokenRequest(h, { grant_type: 'client_credentials' }, [broken.client_id, broken.client_secret]),
        tokenRequest(unreachable, { grant_type: 'client_credentials' }, [lost.client_id, lost.client_secret])
      ])
      assert.equal(failing.status, 500, JSON.stringify(failing.body))
      assert.equal(failing.body['error'], 'server_error')
      assert.equal(receiver.calls.length, 3, 'the first call and two retries')
      assert.equal(gone.status, 500, JSON.stringify(gone.body))
      assert.equal(gone.body['error'], 'server_error')
    } finally {
      await unreachable.close()
    }
  })

  test('with clients.http.disallow_private_ip_ranges the hook on 127.0.0.1 is never called: server_error', async () => {
    const guarded = await startTokensHarness({ config: { ...hookConfig(receiver.url), clients: { http: { disallow_private_ip_ranges: true } } } })
    try {
      receiver.calls.length = 0
      const cc = await guarded.createClient({ grant_types: ['client_credentials'] })
      const { status, body } = await tokenRequest(guarded, { grant_type: 'client_credentials' }, [cc.client_id, cc.client_secret])
      assert.equal(status, 500, JSON.stringify(body))
      assert.equal(body['error'], 'server_error')
      assert.equal(receiver.calls.length, 0)
    } finally {
      await guarded.close()
    }
  })
})
