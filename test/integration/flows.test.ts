// End to end: a browser and a login/consent app drive /oauth2/auth on real listeners (hydra-api.md §3.2–3.7).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testDialects } from '../support/databases.js'
import {
  Browser, acceptConsent, acceptLogin, adminApi, authorizeUrl, createFlowClient, exchangeCode, runAuthorizationCodeFlow
} from '../support/fake-login-consent-app.js'
import { startTestWarden, type TestWarden } from '../support/warden.js'

for (const entry of testDialects()) {
  describe(`authorization code flow on ${entry.dialect}`, () => {
    let warden: TestWarden
    before(async () => { warden = await startTestWarden({ dialect: entry }) })
    after(async () => {
      await warden.close()
      await entry.dropFreshDatabases()
    })

    test('first login, then remembered login and remembered consent skip', async () => {
      const client = await createFlowClient(warden)
      const first = await runAuthorizationCodeFlow({
        warden, client, scope: 'openid offline',
        login: { remember: true, remember_for: 3600 },
        consent: { remember: true, remember_for: 3600 }
      })
      assert.equal(first.params.get('state'), first.state)
      assert.equal(first.params.get('scope'), 'openid offline')
      assert.equal(first.loginSkipped, false)
      assert.equal(first.consentSkipped, false)
      assert.ok([...first.cookies.keys()].some((name) => name === 'ory_hydra_session'))

      const second = await runAuthorizationCodeFlow({ warden, client, scope: 'openid', browser: first.browser })
      assert.equal(second.loginSkipped, true)
      assert.equal(second.consentSkipped, true)
      assert.notEqual(second.code, first.code)

      const sessions = await adminApi(warden).listOAuth2ConsentSessions({ subject: 'alice@example.com' })
      assert.equal(sessions.data.filter((session) => session.consent_request?.client?.client_id === client.client_id).length, 1)
    })

    test('a replayed consent verifier is refused', async () => {
      const client = await createFlowClient(warden)
      const browser = new Browser()
      let stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
      stop = await browser.navigate(await acceptLogin(warden, stop.challenge, { subject: 'bob' }), warden)
      const verifierUrl = await acceptConsent(warden, stop.challenge)
      const done = await browser.navigate(verifierUrl, warden)
      assert.ok(done.params.get('code'))
      const again = await browser.navigate(verifierUrl, warden)
      assert.equal(again.params.get('error'), 'access_denied')
      assert.match(again.params.get('error_description') ?? '', /consent verifier has already been used/)
    })

    test('consent revocation revokes the tokens; RP-initiated logout ends the session', async () => {
      const client = await createFlowClient(warden)
      const api = adminApi(warden)
      const flow = await runAuthorizationCodeFlow({ warden, client, subject: 'dora', scope: 'openid offline', login: { remember: true } })
      const tokens = await exchangeCode(warden, client, flow.code)
      assert.equal(tokens.status, 200)
      await api.revokeOAuth2ConsentSessions({ subject: 'dora', all: true })
      assert.equal((await api.introspectOAuth2Token({ token: String(tokens.body.access_token) })).data.active, false)
      const logout = new URL('oauth2/sessions/logout', warden.publicUrl)
      logout.searchParams.set('id_token_hint', String(tokens.body.id_token))
      const stop = await flow.browser.navigate(logout.toString(), warden)
      assert.equal(stop.kind, 'logout')
      const { data } = await api.acceptOAuth2LogoutRequest({ logoutChallenge: stop.challenge })
      const end = await flow.browser.navigate(data.redirect_to, warden)
      assert.match(end.url, /logout\/callback$/)
      const again = await flow.browser.navigate(authorizeUrl(warden, client, { scope: 'openid', prompt: 'none' }), warden)
      assert.equal(again.params.get('error'), 'login_required')
    })
  })
}
