// RP- and OP-initiated logout end to end (hydra-api.md §3.11), with accept, reject, replay and the wrong browser.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  Browser, adminApi, authorizeUrl, createFlowClient, exchangeCode, runAuthorizationCodeFlow, type Stop
} from '../support/fake-login-consent-app.js'
import { ManualClock } from '../../src/lib/clock.js'
import { startTestWarden, type TestWarden } from '../support/warden.js'

const LOGGED_OUT = 'http://127.0.0.1:5555/logged-out'

describe('logout', () => {
  let warden: TestWarden
  before(async () => { warden = await startTestWarden() })
  after(async () => { await warden.close() })

  const logoutUrl = (params: Record<string, string> = {}): string => {
    const url = new URL('oauth2/sessions/logout', warden.publicUrl)
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
    return url.toString()
  }

  async function loggedIn (subject: string): Promise<{ browser: Browser, idToken: string, client: Awaited<ReturnType<typeof createFlowClient>> }> {
    const client = await createFlowClient(warden)
    const flow = await runAuthorizationCodeFlow({ warden, client, subject, login: { remember: true } })
    const tokens = await exchangeCode(warden, client, flow.code)
    return { browser: flow.browser, idToken: String(tokens.body.id_token), client }
  }

  async function isSkipped (browser: Browser, client: Awaited<ReturnType<typeof createFlowClient>>): Promise<boolean> {
    const stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    return (await adminApi(warden).getOAuth2LoginRequest({ loginChallenge: stop.challenge })).data.skip === true
  }

  test('OP-initiated without a session goes straight to the post-logout page; state or a redirect without a hint fail', async () => {
    const stop = await new Browser().navigate(logoutUrl(), warden)
    assert.match(stop.url, /\/oauth2\/fallbacks\/logout\/callback$/)
    assert.equal(stop.status, 200)
    const withState = await new Browser().navigate(logoutUrl({ state: 'abcdefghij' }), warden)
    assert.match(withState.url, /oauth2\/fallbacks\/error\?error=invalid_request/)
    const withRedirect = await new Browser().navigate(logoutUrl({ post_logout_redirect_uri: LOGGED_OUT }), warden)
    assert.match(withRedirect.url, /error=invalid_request/)
  })

  test('OP-initiated with a session: accept ends the session; the verifier is single-use and bound to the browser', async () => {
    const { browser, client } = await loggedIn('hal')
    const api = adminApi(warden)
    const stop: Stop = await browser.navigate(logoutUrl(), warden)
    assert.equal(stop.kind, 'logout')
    const { data } = await api.getOAuth2LogoutRequest({ logoutChallenge: stop.challenge })
    assert.equal(data.subject, 'hal')
    assert.equal(data.rp_initiated, false)
    assert.equal(data.client, null)
    const { data: accepted } = await api.acceptOAuth2LogoutRequest({ logoutChallenge: stop.challenge })
    const stranger = await new Browser().navigate(accepted.redirect_to, warden)
    assert.match(stranger.url, /logout\/callback$/)
    assert.equal(await isSkipped(browser, client), true, 'another browser cannot end this session')
    const end = await browser.navigate(accepted.redirect_to, warden)
    assert.match(end.url, /logout\/callback$/)
    assert.equal(browser.cookies.has('ory_hydra_session'), false)
    assert.equal(await isSkipped(browser, client), false)
    const replay = await browser.navigate(accepted.redirect_to, warden)
    assert.match(replay.url, /logout\/callback$/)
  })

  test('OP-initiated with a session that was not remembered goes straight to the post-logout page', async () => {
    const client = await createFlowClient(warden)
    const flow = await runAuthorizationCodeFlow({ warden, client, subject: 'lou', login: { remember: false } })
    const stop = await flow.browser.navigate(logoutUrl(), warden)
    assert.match(stop.url, /logout\/callback$/)
  })

  test('RP-initiated with an expired id_token_hint still works', async () => {
    const clock = new ManualClock()
    const timed = await startTestWarden({ clock })
    try {
      const client = await createFlowClient(timed)
      const flow = await runAuthorizationCodeFlow({ warden: timed, client, subject: 'max', login: { remember: true } })
      const idToken = String((await exchangeCode(timed, client, flow.code)).body.id_token)
      clock.advance(2 * 3600 * 1000)
      const url = new URL('oauth2/sessions/logout', timed.publicUrl)
      url.searchParams.set('id_token_hint', idToken)
      const stop = await flow.browser.navigate(url.toString(), timed)
      assert.equal(stop.kind, 'logout')
    } finally {
      await timed.close()
    }
  })

  test('reject answers 204 and keeps the session', async () => {
    const { browser, client } = await loggedIn('ivy')
    const stop = await browser.navigate(logoutUrl(), warden)
    const response = await adminApi(warden).rejectOAuth2LogoutRequest({ logoutChallenge: stop.challenge })
    assert.equal(response.status, 204)
    assert.equal(await isSkipped(browser, client), true)
  })

  test('RP-initiated: id_token_hint, registered post_logout_redirect_uri and state', async () => {
    const { browser, idToken, client } = await loggedIn('jay')
    const api = adminApi(warden)
    const unregistered = await browser.navigate(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: 'http://127.0.0.1:5555/elsewhere' }), warden)
    assert.match(unregistered.url, /oauth2\/fallbacks\/error\?error=invalid_request/)
    const stop = await browser.navigate(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'state-123456' }), warden)
    assert.equal(stop.kind, 'logout')
    const { data } = await api.getOAuth2LogoutRequest({ logoutChallenge: stop.challenge })
    assert.equal(data.rp_initiated, true)
    assert.equal(data.client?.client_id, client.client_id)
    assert.equal(data.subject, 'jay')
    const { data: accepted } = await api.acceptOAuth2LogoutRequest({ logoutChallenge: stop.challenge })
    const end = await browser.navigate(accepted.redirect_to, warden)
    assert.equal(end.url, `${LOGGED_OUT}?state=state-123456`)
    assert.equal(await isSkipped(browser, client), false)
    // The session is gone: the same hint now redirects at once.
    const again = await browser.navigate(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT }), warden)
    assert.equal(again.url, LOGGED_OUT)
  })

  test('RP-initiated via POST, and a garbage hint', async () => {
    const { browser, idToken } = await loggedIn('kim')
    const stop = await browser.navigate(logoutUrl(), warden, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ id_token_hint: idToken }).toString()
    })
    assert.equal(stop.kind, 'logout')
    const garbage = await browser.navigate(logoutUrl({ id_token_hint: 'not.a.jwt' }), warden)
    assert.match(garbage.url, /error=invalid_request/)
  })

  test('logout challenges: forged is 404, missing is 400', async () => {
    const forged = await fetch(new URL('admin/oauth2/auth/requests/logout?logout_challenge=forged', warden.adminUrl))
    assert.equal(forged.status, 404)
    const missing = await fetch(new URL('admin/oauth2/auth/requests/logout', warden.adminUrl))
    assert.equal(missing.status, 400)
  })
})
