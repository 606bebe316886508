// Login step end to end (hydra-api.md §3.2–3.4): skip, prompt, max_age, reject, replay, expiry, subject mismatch.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { decodeJwt } from 'jose'
import { ManualClock } from '../../src/lib/clock.js'
import {
  Browser, acceptConsent, acceptLogin, adminApi, authorizeUrl, createFlowClient, exchangeCode, runAuthorizationCodeFlow
} from '../support/fake-login-consent-app.js'
import { startTestWarden, type TestWarden } from '../support/warden.js'

const statusOf = async (promise: Promise<unknown>): Promise<number> => {
  try { await promise; return 200 } catch (error) { return (error as { response?: { status: number } }).response?.status ?? 0 }
}

describe('login step', () => {
  let warden: TestWarden
  const clock = new ManualClock(new Date('2026-11-29T12:00:00Z'))
  before(async () => { warden = await startTestWarden({ clock }) })
  after(async () => { await warden.close() })

  test('prompt=none without a session: login_required at the client', async () => {
    const client = await createFlowClient(warden)
    const stop = await new Browser().navigate(authorizeUrl(warden, client, { scope: 'openid', prompt: 'none' }), warden)
    assert.equal(stop.kind, 'client')
    assert.equal(stop.params.get('error'), 'login_required')
    assert.ok(stop.params.get('state'))
  })

  test('remembered session: skip=true, prompt=none works, prompt=login forces a new login', async () => {
    const client = await createFlowClient(warden)
    const first = await runAuthorizationCodeFlow({ warden, client, subject: 'sam', login: { remember: true }, consent: { remember: true } })
    const silent = await runAuthorizationCodeFlow({ warden, client, browser: first.browser, params: { prompt: 'none' } })
    assert.equal(silent.loginSkipped, true)
    const browser = first.browser
    const stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid', prompt: 'login' }), warden)
    const { data } = await adminApi(warden).getOAuth2LoginRequest({ loginChallenge: stop.challenge })
    assert.equal(data.skip, false)
    assert.equal(data.subject, '')
  })

  test('max_age: an old session is not skipped, and with prompt=none it is login_required', async () => {
    const client = await createFlowClient(warden)
    const first = await runAuthorizationCodeFlow({ warden, client, login: { remember: true }, consent: { remember: true } })
    clock.advance(5000)
    const stop = await first.browser.navigate(authorizeUrl(warden, client, { scope: 'openid', max_age: '1' }), warden)
    assert.equal((await adminApi(warden).getOAuth2LoginRequest({ loginChallenge: stop.challenge })).data.skip, false)
    const none = await first.browser.navigate(authorizeUrl(warden, client, { scope: 'openid', max_age: '1', prompt: 'none' }), warden)
    assert.equal(none.params.get('error'), 'login_required')
  })

  test('reject at login: the client receives the chosen error', async () => {
    const client = await createFlowClient(warden)
    const browser = new Browser()
    const stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    const { data } = await adminApi(warden).rejectOAuth2LoginRequest({
      loginChallenge: stop.challenge,
      rejectOAuth2Request: { error: 'access_denied', error_description: 'The user said no', status_code: 403 }
    })
    const end = await browser.navigate(data.redirect_to, warden)
    assert.equal(end.params.get('error'), 'access_denied')
    assert.match(end.params.get('error_description') ?? '', /The user said no/)
  })

  test('accept is repeatable; a login verifier replayed after use ends in "consent verifier has already been used"', async () => {
    const client = await createFlowClient(warden)
    const browser = new Browser()
    const stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    const first = await acceptLogin(warden, stop.challenge, { subject: 'rita' })
    const second = await acceptLogin(warden, stop.challenge, { subject: 'rita' })
    assert.notEqual(first, second)
    const consent = await browser.navigate(first, warden)
    const done = await browser.navigate(await acceptConsent(warden, consent.challenge), warden)
    assert.ok(done.params.get('code'))
    const replayConsent = await browser.navigate(second, warden)
    assert.equal(replayConsent.kind, 'consent')
    // That flow has ended: its new consent challenge reads as 410 Gone; an accept anyway is refused at the end.
    assert.equal(await statusOf(adminApi(warden).getOAuth2ConsentRequest({ consentChallenge: replayConsent.challenge })), 410)
    const { data: accepted } = await adminApi(warden).acceptOAuth2ConsentRequest({ consentChallenge: replayConsent.challenge, acceptOAuth2ConsentRequest: { grant_scope: ['openid'] } })
    const replay = await browser.navigate(accepted.redirect_to, warden)
    assert.equal(replay.params.get('error'), 'access_denied')
    assert.match(replay.params.get('error_description') ?? '', /consent verifier has already been used/)
  })

  test('unknown, forged and empty challenges; accept without subject', async () => {
    const api = adminApi(warden)
    assert.equal(await statusOf(api.getOAuth2LoginRequest({ loginChallenge: 'forged' })), 404)
    assert.equal(await statusOf(api.getOAuth2ConsentRequest({ consentChallenge: 'forged' })), 404)
    const client = await createFlowClient(warden)
    const stop = await new Browser().navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    assert.equal(await statusOf(api.getOAuth2ConsentRequest({ consentChallenge: stop.challenge })), 404, 'a login challenge is not a consent challenge')
    assert.equal(await statusOf(api.acceptOAuth2LoginRequest({ loginChallenge: stop.challenge, acceptOAuth2LoginRequest: { subject: '' } })), 400)
    const empty = await fetch(new URL('admin/oauth2/auth/requests/login', warden.adminUrl))
    assert.equal(empty.status, 400)
    const forgedVerifier = await new Browser().navigate(`${authorizeUrl(warden, client, { scope: 'openid' })}&login_verifier=forged`, warden)
    assert.equal(forgedVerifier.params.get('error'), 'access_denied')
  })

  test('an expired challenge: 401 at the admin API and request_unauthorized at /oauth2/auth', async () => {
    const client = await createFlowClient(warden)
    const browser = new Browser()
    const stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    const verifier = await acceptLogin(warden, stop.challenge, { subject: 'tom' })
    clock.advance(31 * 60 * 1000)
    assert.equal(await statusOf(adminApi(warden).getOAuth2LoginRequest({ loginChallenge: stop.challenge })), 401)
    const end = await browser.navigate(verifier, warden)
    assert.equal(end.params.get('error'), 'request_unauthorized')
  })

  test('skip with a different subject at accept restarts the flow with prompt=login', async () => {
    const client = await createFlowClient(warden)
    const first = await runAuthorizationCodeFlow({ warden, client, subject: 'ursula', login: { remember: true } })
    const stop = await first.browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    const redirectTo = await acceptLogin(warden, stop.challenge, { subject: 'victor' })
    const url = new URL(redirectTo)
    assert.equal(url.searchParams.get('prompt'), 'login')
    assert.equal(url.searchParams.has('login_verifier'), false)
  })

  test('remember=false forgets the session; extend_session_lifespan rewrites the cookie on skip', async () => {
    const client = await createFlowClient(warden)
    const first = await runAuthorizationCodeFlow({ warden, client, login: { remember: true, remember_for: 60 } })
    const browser = first.browser
    const before = browser.cookies.get('ory_hydra_session')?.value
    const extended = await runAuthorizationCodeFlow({ warden, client, browser, login: { extend_session_lifespan: true, remember_for: 120 } })
    assert.equal(extended.loginSkipped, true)
    assert.notEqual(browser.cookies.get('ory_hydra_session')?.value, before, 'a new cookie was written')
    assert.match(browser.cookies.get('ory_hydra_session')?.attributes ?? '', /Max-Age=120/)
    const other = await createFlowClient(warden)
    await runAuthorizationCodeFlow({ warden, client: other, browser, params: { prompt: 'login' }, login: { remember: false } })
    assert.equal(browser.cookies.has('ory_hydra_session'), false)
  })

  test('id_token_hint: carried to the login UI, a mismatching subject is login_required, a foreign audience invalid', async () => {
    const client = await createFlowClient(warden)
    const first = await runAuthorizationCodeFlow({ warden, client, subject: 'wendy', login: { remember: true }, consent: { remember: true } })
    const tokens = await exchangeCode(warden, client, first.code)
    const idToken = String(tokens.body.id_token)
    const stop = await first.browser.navigate(authorizeUrl(warden, client, { scope: 'openid', id_token_hint: idToken, login_hint: 'w', ui_locales: 'de en', acr_values: 'gold' }), warden)
    const { data } = await adminApi(warden).getOAuth2LoginRequest({ loginChallenge: stop.challenge })
    assert.equal(data.skip, true)
    assert.equal(data.oidc_context?.id_token_hint_claims?.sub, 'wendy')
    assert.equal(data.oidc_context?.login_hint, 'w')
    assert.deepEqual(data.oidc_context?.ui_locales, ['de', 'en'])
    assert.deepEqual(data.oidc_context?.acr_values, ['gold'])
    // Another user's session in this browser: the hint no longer matches.
    await runAuthorizationCodeFlow({ warden, client, browser: first.browser, subject: 'xavier', params: { prompt: 'login' }, login: { remember: true } })
    const mismatch = await first.browser.navigate(authorizeUrl(warden, client, { scope: 'openid', id_token_hint: idToken }), warden)
    assert.equal(mismatch.params.get('error'), 'login_required')
    const other = await createFlowClient(warden)
    const foreign = await new Browser().navigate(authorizeUrl(warden, other, { scope: 'openid', id_token_hint: idToken }), warden)
    assert.equal(foreign.params.get('error'), 'invalid_request')
    assert.equal(decodeJwt(idToken).sub, 'wendy')
  })

  test('an expired id_token_hint is still accepted', async () => {
    const client = await createFlowClient(warden)
    const first = await runAuthorizationCodeFlow({ warden, client, subject: 'yara', login: { remember: true } })
    const idToken = String((await exchangeCode(warden, client, first.code)).body.id_token)
    clock.advance(2 * 3600 * 1000)
    assert.ok((decodeJwt(idToken).exp ?? 0) * 1000 < clock.now().getTime())
    const stop = await first.browser.navigate(authorizeUrl(warden, client, { scope: 'openid', id_token_hint: idToken }), warden)
    assert.equal(stop.kind, 'login')
    assert.equal((await adminApi(warden).getOAuth2LoginRequest({ loginChallenge: stop.challenge })).data.skip, true)
  })

  test('a forged consent verifier is access_denied at the client', async () => {
    const client = await createFlowClient(warden)
    const end = await new Browser().navigate(`${authorizeUrl(warden, client, { scope: 'openid' })}&consent_verifier=forged`, warden)
    assert.equal(end.params.get('error'), 'access_denied')
    assert.match(end.params.get('error_description') ?? '', /consent verifier has already been used, has not been granted, or is invalid/)
  })

  test('public clients with a loopback http redirect may skip a remembered consent', async () => {
    const client = await createFlowClient(warden, { token_endpoint_auth_method: 'none' })
    const first = await runAuthorizationCodeFlow({ warden, client, login: { remember: true }, consent: { remember: true } })
    const second = await runAuthorizationCodeFlow({ warden, client, browser: first.browser })
    assert.equal(second.consentSkipped, true)
  })

  test('identity_schema and prompt=registration reach the UI', async () => {
    const client = await createFlowClient(warden)
    const stop = await new Browser().navigate(authorizeUrl(warden, client, { scope: 'openid', prompt: 'registration', identity_schema: 'employee' }), warden)
    assert.equal(stop.kind, 'login')
    assert.equal(new URL(stop.url).searchParams.get('identity_schema'), 'employee')
  })
})
