// Consent step, CSRF cookies, response modes and session admin end to end (hydra-api.md §3.5–3.10).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { decodeJwt } from 'jose'
import {
  Browser, acceptConsent, acceptLogin, adminApi, authorizeUrl, createFlowClient, exchangeCode, runAuthorizationCodeFlow
} from '../support/fake-login-consent-app.js'
import { startTestWarden, type TestWarden } from '../support/warden.js'

describe('consent step and sessions', () => {
  let warden: TestWarden
  before(async () => {
    warden = await startTestWarden({ config: { oidc: { subject_identifiers: { supported_types: ['public', 'pairwise'], pairwise: { salt: 'a-pairwise-salt' } } } } })
  })
  after(async () => { await warden.close() })

  test('reject at consent: the client receives the error', async () => {
    const client = await createFlowClient(warden)
    const browser = new Browser()
    let stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    stop = await browser.navigate(await acceptLogin(warden, stop.challenge, { subject: 'amy' }), warden)
    const { data } = await adminApi(warden).rejectOAuth2ConsentRequest({ consentChallenge: stop.challenge, rejectOAuth2Request: {} })
    const end = await browser.navigate(data.redirect_to, warden)
    assert.equal(end.params.get('error'), 'consent request denied')
  })

  test('consent request carries login data; prompt=consent and prompt=none without consent', async () => {
    const client = await createFlowClient(warden)
    const browser = new Browser()
    let stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid offline' }), warden)
    stop = await browser.navigate(await acceptLogin(warden, stop.challenge, { subject: 'ben', acr: 'gold', amr: ['pwd'], context: { tenant: 'x' }, remember: true }), warden)
    const { data } = await adminApi(warden).getOAuth2ConsentRequest({ consentChallenge: stop.challenge })
    assert.equal(data.subject, 'ben')
    assert.equal(data.acr, 'gold')
    assert.deepEqual(data.amr, ['pwd'])
    assert.deepEqual(data.context, { tenant: 'x' })
    assert.deepEqual(data.requested_scope, ['openid', 'offline'])
    assert.equal(data.client?.client_id, client.client_id)
    assert.equal(data.client?.client_secret, undefined)
    assert.match(data.consent_request_id ?? '', /^[0-9a-f]{32}$/)
    const done = await browser.navigate(await acceptConsent(warden, stop.challenge, { remember: true }), warden)
    assert.ok(done.params.get('code'))
    const again = await runAuthorizationCodeFlow({ warden, client, browser, scope: 'openid offline', params: { prompt: 'consent' } })
    assert.equal(again.consentSkipped, false)
    const other = await createFlowClient(warden)
    const login = await browser.navigate(authorizeUrl(warden, other, { scope: 'openid', prompt: 'none' }), warden)
    assert.equal(login.kind, 'login', 'prompt=none still asks the login app, with skip=true')
    const none = await browser.navigate(await acceptLogin(warden, login.challenge, { subject: 'ben' }), warden)
    assert.equal(none.params.get('error'), 'consent_required')
  })

  test('public clients with custom-scheme redirects never skip consent', async () => {
    const client = await createFlowClient(warden, { token_endpoint_auth_method: 'none', redirect_uris: ['com.example.app:/callback'], post_logout_redirect_uris: [] })
    const first = await runAuthorizationCodeFlow({ warden, client, params: { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }, login: { remember: true }, consent: { remember: true } })
    const second = await runAuthorizationCodeFlow({ warden, client, browser: first.browser, params: { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' } })
    assert.equal(second.loginSkipped, true)
    assert.equal(second.consentSkipped, false)
  })

  test('CSRF: missing cookie or a cookie of another client is request_forbidden, with a troubleshooting hint', async () => {
    const client = await createFlowClient(warden)
    const browser = new Browser()
    const stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    const verifier = await acceptLogin(warden, stop.challenge, { subject: 'cid' })
    const stranger = await new Browser().navigate(verifier, warden)
    assert.equal(stranger.params.get('error'), 'request_forbidden')
    assert.match(stranger.params.get('error_description') ?? '', /did not send the login CSRF cookie/)
    const viaLocalhost = await new Browser().navigate(verifier.replace('127.0.0.1', 'localhost'), { publicUrl: warden.publicUrl.replace('127.0.0.1', 'localhost') })
    assert.match(viaLocalhost.params.get('error_description') ?? '', /'localhost:\d+' but the configured issuer is '127\.0\.0\.1:\d+'/)
    // A browser holding only another client's CSRF cookie.
    const other = await createFlowClient(warden)
    const mixed = new Browser()
    await mixed.navigate(authorizeUrl(warden, other, { scope: 'openid' }), warden)
    assert.equal((await mixed.navigate(verifier, warden)).params.get('error'), 'request_forbidden')
    // Cookie names are per client, HttpOnly, and SameSite=Lax on this http issuer.
    const names = [...browser.cookies.keys()]
    assert.ok(names.some((name) => /^ory_hydra_login_csrf_\d+$/.test(name)), names.join(','))
    assert.match(browser.cookies.get(names[0] ?? '')?.attributes ?? '', /HttpOnly/)
    assert.equal((await browser.navigate(verifier, warden)).kind, 'consent')
  })

  test('response modes: fragment and form_post', async () => {
    const client = await createFlowClient(warden)
    const fragment = await runAuthorizationCodeFlow({ warden, client, params: { response_mode: 'fragment' } })
    assert.ok(new URL(fragment.redirectUrl).hash.includes('code='))
    const browser = new Browser()
    let stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid', response_mode: 'form_post' }), warden)
    stop = await browser.navigate(await acceptLogin(warden, stop.challenge, { subject: 'dan' }), warden)
    const end = await browser.navigate(await acceptConsent(warden, stop.challenge), warden)
    assert.equal(end.status, 200)
    assert.ok(end.params.get('code'))
    assert.match(end.response.headers.get('content-security-policy') ?? '', /script-src 'nonce-/)
  })

  test('consent sessions: listing, pagination, revocation revokes tokens', async () => {
    const client = await createFlowClient(warden)
    const api = adminApi(warden)
    const subject = 'erin'
    const flows = []
    for (let i = 0; i < 3; i++) flows.push(await runAuthorizationCodeFlow({ warden, client, subject, scope: 'openid offline', params: { prompt: 'consent' }, consent: { remember: true, session: { access_token: { n: i } } } }))
    const tokens = await exchangeCode(warden, client, flows[0]?.code ?? '')
    assert.equal(tokens.status, 200)
    const page = await api.listOAuth2ConsentSessions({ subject, pageSize: 2 })
    assert.equal(page.data.length, 2)
    assert.match(String(page.headers.link), /rel="next"/)
    const all = await api.listOAuth2ConsentSessions({ subject })
    assert.equal(all.data.length, 3)
    assert.deepEqual(all.data[0]?.grant_scope, ['openid', 'offline'])
    assert.equal(all.data[0]?.consent_request?.challenge, '')
    assert.deepEqual((await api.listOAuth2ConsentSessions({ subject: 'nobody' })).data, [])
    await assert.rejects(api.revokeOAuth2ConsentSessions({ subject }), (error: { response?: { status: number } }) => error.response?.status === 400)
    await api.revokeOAuth2ConsentSessions({ subject, client: client.client_id })
    assert.deepEqual((await api.listOAuth2ConsentSessions({ subject })).data, [])
    const introspected = await api.introspectOAuth2Token({ token: String(tokens.body.access_token) })
    assert.equal(introspected.data.active, false, 'revoking consent revokes its tokens')
    const refreshed = await fetch(new URL('oauth2/token', warden.publicUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.client_id ?? ''}:${client.client_secret ?? ''}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token) })
    })
    assert.equal(refreshed.status, 400)
  })

  test('login sessions: revocation by sid and by subject ends skipping', async () => {
    const client = await createFlowClient(warden)
    const api = adminApi(warden)
    const first = await runAuthorizationCodeFlow({ warden, client, subject: 'fay', login: { remember: true } })
    const stop = await first.browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    const { data } = await api.getOAuth2LoginRequest({ loginChallenge: stop.challenge })
    assert.equal(data.skip, true)
    await assert.rejects(api.revokeOAuth2LoginSessions({}), (error: { response?: { status: number } }) => error.response?.status === 400)
    await api.revokeOAuth2LoginSessions({ sid: 'unknown' })
    await api.revokeOAuth2LoginSessions({ sid: data.session_id })
    const after = await first.browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    assert.equal((await api.getOAuth2LoginRequest({ loginChallenge: after.challenge })).data.skip, false)
    const second = await runAuthorizationCodeFlow({ warden, client, subject: 'fay', login: { remember: true } })
    await api.revokeOAuth2LoginSessions({ subject: 'fay' })
    const gone = await second.browser.navigate(authorizeUrl(warden, client, { scope: 'openid', prompt: 'none' }), warden)
    assert.equal(gone.params.get('error'), 'login_required')
  })

  test('pairwise subjects and force_subject_identifier reach the ID token', async () => {
    const client = await createFlowClient(warden, { subject_type: 'pairwise' })
    const plain = await runAuthorizationCodeFlow({ warden, client, subject: 'gus' })
    const sub = decodeJwt(String((await exchangeCode(warden, client, plain.code)).body.id_token)).sub
    assert.match(sub ?? '', /^[0-9a-f]{64}$/)
    const forced = await runAuthorizationCodeFlow({ warden, client, subject: 'gus', login: { force_subject_identifier: 'forced-gus' } })
    assert.equal(decodeJwt(String((await exchangeCode(warden, client, forced.code)).body.id_token)).sub, 'forced-gus')
  })
})
