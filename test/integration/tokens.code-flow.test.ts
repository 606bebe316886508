// The relying-party walk of issue 5 with openid-client 6: code + PKCE → ID token → userinfo → refresh ×2 → revoke →
// introspection inactive, on opaque and JWT access tokens and on every test dialect. Also the Cypress scenarios
// oauth2/authorize_code, oauth2/refresh_token, oauth2/introspect, oauth2/jwt, openid/authorize_code, openid/revoke,
// openid/userinfo.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as client from 'openid-client'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import type { OAuth2Client } from '@ory/hydra-client'
import { testDialects } from '../support/databases.js'
import { createFlowClient, exchangeCode, runAuthorizationCodeFlow } from '../support/fake-login-consent-app.js'
import { startTokensHarness, type TokensHarness } from '../support/tokens-harness.js'

const SESSION = { id_token: { email: 'alice@example.com', email_verified: true }, access_token: { tenant: 't-1' } }

for (const entry of testDialects()) {
  for (const strategy of ['opaque', 'jwt'] as const) {
    describe(`authorization code flow with ${strategy} access tokens on ${entry.dialect}`, () => {
      let h: TokensHarness
      let rp: OAuth2Client
      let config: client.Configuration
      before(async () => {
        h = await startTokensHarness({ dialect: entry, config: { strategies: { access_token: strategy } } })
        rp = await createFlowClient(h.warden)
        config = await client.discovery(new URL(h.warden.publicUrl), rp.client_id ?? '', rp.client_secret ?? '', client.ClientSecretBasic(rp.client_secret ?? ''), { execute: [client.allowInsecureRequests] })
      })
      after(async () => {
        await h?.close()
        await entry.dropFreshDatabases()
      })

      async function codeFlow (scope: string, extra: Record<string, string> = {}): Promise<{ redirectUrl: string, verifier: string, nonce: string, state: string }> {
        const verifier = client.randomPKCECodeVerifier()
        const nonce = client.randomNonce()
        const state = client.randomState()
        const { redirectUrl } = await runAuthorizationCodeFlow({
          warden: h.warden,
          client: rp,
          scope,
          params: { code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', nonce, state, ...extra },
          login: { acr: 'urn:acr:1', amr: ['pwd'] },
          consent: { session: SESSION }
        })
        return { redirectUrl, verifier, nonce, state }
      }

      test('code + PKCE → ID token → userinfo → refresh twice → revoke → inactive', async () => {
        const { redirectUrl, verifier, nonce, state } = await codeFlow('openid offline_access')
        const tokens = await client.authorizationCodeGrant(config, new URL(redirectUrl), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state })
        const claims = tokens.claims()
        assert.ok(claims !== undefined)
        assert.equal(claims.sub, 'alice@example.com')
        assert.equal(claims.nonce, nonce)
        assert.equal(claims['acr'], 'urn:acr:1')
        assert.deepEqual(claims['amr'], ['pwd'])
        assert.equal(claims['email'], 'alice@example.com')
        assert.ok(typeof claims['at_hash'] === 'string' && typeof claims['sid'] === 'string' && typeof claims['rat'] === 'number')
        assert.ok(tokens.refresh_token?.startsWith('ory_rt_'))
        assert.equal(tokens.access_token.split('.').length, strategy === 'jwt' ? 3 : 2)
        if (strategy === 'jwt') {
          const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL('.well-known/jwks.json', h.warden.publicUrl)))
          assert.equal(payload.sub, 'alice@example.com')
          assert.deepEqual(payload['ext'], { tenant: 't-1' })
          assert.deepEqual(payload['scp'], ['openid', 'offline_access'])
        }

        const info = await client.fetchUserInfo(config, tokens.access_token, 'alice@example.com')
        assert.equal(info['email'], 'alice@example.com')
        assert.deepEqual(info['aud'], [rp.client_id])
        assert.equal(info['nonce'], undefined)

        const introspected = await h.introspect(tokens.access_token)
        assert.equal(introspected['active'], true)
        assert.equal(introspected['sub'], 'alice@example.com')
        assert.deepEqual(introspected['ext'], { tenant: 't-1' })
        assert.equal((await h.introspect(tokens.refresh_token ?? ''))['token_use'], 'refresh_token')

        const first = await client.refreshTokenGrant(config, tokens.refresh_token ?? '')
        assert.ok(first.claims() !== undefined)
        assert.deepEqual(await h.introspect(tokens.access_token), { active: false })
        const second = await client.refreshTokenGrant(config, first.refresh_token ?? '')
        assert.equal((await h.introspect(second.access_token))['active'], true)

        await client.tokenRevocation(config, second.refresh_token ?? '')
        assert.deepEqual(await h.introspect(second.access_token), { active: false })
        assert.deepEqual(await h.introspect(second.refresh_token ?? ''), { active: false })
        // openid/revoke: userinfo with the revoked access token fails with request_unauthorized.
        const denied = await fetch(new URL('userinfo', h.warden.publicUrl), { headers: { authorization: `Bearer ${second.access_token}` } })
        assert.equal(denied.status, 401)
        assert.match(denied.headers.get('www-authenticate') ?? '', /error="request_unauthorized"/)
      })

      test('refresh_token: reusing a rotated refresh token revokes the chain', async () => {
        const { redirectUrl, verifier, nonce, state } = await codeFlow('openid offline')
        const tokens = await client.authorizationCodeGrant(config, new URL(redirectUrl), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state })
        const rotated = await client.refreshTokenGrant(config, tokens.refresh_token ?? '')
        await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token ?? ''), (error: { error?: string }) => error.error === 'invalid_grant')
        await assert.rejects(client.refreshTokenGrant(config, rotated.refresh_token ?? ''), (error: { error?: string }) => error.error === 'invalid_grant')
        assert.deepEqual(await h.introspect(rotated.access_token), { active: false })
      })

      test('authorize_code: the tokens depend on the granted scopes; a code works once', async () => {
        const cases: Array<[string, { refresh: boolean, id: boolean }]> = [
          ['offline_access openid', { refresh: true, id: true }],
          ['offline_access', { refresh: true, id: false }],
          ['openid', { refresh: false, id: true }],
          ['', { refresh: false, id: false }]
        ]
        for (const [scope, expected] of cases) {
          const { redirectUrl, verifier } = await codeFlow(scope)
          const code = new URL(redirectUrl).searchParams.get('code') ?? ''
          const { status, body } = await exchangeCode(h.warden, rp, code, { code_verifier: verifier })
          assert.equal(status, 200, JSON.stringify(body))
          assert.equal(typeof body['access_token'], 'string')
          assert.equal(body['refresh_token'] !== undefined, expected.refresh, scope)
          assert.equal(body['id_token'] !== undefined, expected.id, scope)
          if (scope === '') {
            const again = await exchangeCode(h.warden, rp, code, { code_verifier: verifier })
            assert.equal(again.status, 400)
            assert.equal(again.body['error'], 'invalid_grant')
            assert.deepEqual(await h.introspect(body['access_token'] as string), { active: false })
          }
        }
      })

      test('wrong PKCE verifier or redirect_uri → invalid_grant', async () => {
        const { redirectUrl, verifier } = await codeFlow('openid')
        const code = new URL(redirectUrl).searchParams.get('code') ?? ''
        const badVerifier = await exchangeCode(h.warden, rp, code, { code_verifier: client.randomPKCECodeVerifier() })
        assert.equal(badVerifier.body['error'], 'invalid_grant')
        const badRedirect = await exchangeCode(h.warden, rp, code, { code_verifier: verifier, redirect_uri: 'http://127.0.0.1:5555/other' })
        assert.equal(badRedirect.body['error'], 'invalid_grant')
        assert.equal((await exchangeCode(h.warden, rp, code, { code_verifier: verifier })).status, 200)
      })
    })
  }
}
