// Hostile and malformed authorization requests (hydra-api.md §3.2, §3.13, §9.5): 4xx or a safe redirect, never 5xx.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Browser, acceptConsent, acceptLogin, authorizeUrl, createFlowClient } from '../support/fake-login-consent-app.js'
import { startTestWarden, type TestWarden } from '../support/warden.js'

describe('authorization endpoint input', () => {
  let warden: TestWarden
  before(async () => { warden = await startTestWarden({ config: { oauth2: { pkce: { enforced_for_public_clients: true } } } }) })
  after(async () => { await warden.close() })

  const errorPage = /\/oauth2\/fallbacks\/error\?/
  const go = async (url: string): Promise<{ location: string, status: number, params: URLSearchParams }> => {
    const response = await fetch(url, { redirect: 'manual' })
    const location = response.headers.get('location') ?? ''
    await response.arrayBuffer()
    const target = location === '' ? undefined : new URL(location)
    // Implicit response types default to the fragment, errors included.
    const params = target === undefined ? new URLSearchParams() : target.hash.length > 1 ? new URLSearchParams(target.hash.slice(1)) : target.searchParams
    return { location, status: response.status, params }
  }

  test('unknown client and unregistered, userinfo or fragment redirect URIs go to the error page only', async () => {
    const client = await createFlowClient(warden)
    const unknown = await go(authorizeUrl(warden, { ...client, client_id: 'nope' }, { scope: 'openid' }))
    assert.equal(unknown.status, 302)
    assert.match(unknown.location, errorPage)
    assert.equal(unknown.params.get('error'), 'invalid_client')
    for (const redirect of ['https://evil.example.com/cb', 'http://user:pw@127.0.0.1:5555/callback', 'http://127.0.0.1:5555/callback#frag', 'not a url']) {
      const result = await go(authorizeUrl(warden, client, { scope: 'openid', redirect_uri: redirect }))
      assert.equal(result.status, 302, redirect)
      assert.match(result.location, errorPage, redirect)
      assert.equal(result.params.get('error'), 'invalid_request')
    }
  })

  test('errors after the redirect URI is valid go to the client with state (303)', async () => {
    const client = await createFlowClient(warden)
    const cases: Array<[Record<string, string>, string]> = [
      [{ scope: 'openid admin' }, 'invalid_scope'],
      [{ scope: 'openid', state: 'short' }, 'invalid_state'],
      [{ scope: 'openid', nonce: 'tiny' }, 'insufficient_entropy'],
      [{ scope: 'openid', response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'openid', response_type: 'bogus' }, 'unsupported_response_type'],
      [{ scope: 'openid', response_mode: 'carrier_pigeon' }, 'unsupported_response_mode'],
      [{ scope: 'openid', prompt: 'none login' }, 'invalid_request'],
      [{ scope: 'openid', prompt: 'sometimes' }, 'invalid_request'],
      [{ scope: 'openid', max_age: '-1' }, 'invalid_request'],
      [{ scope: 'openid', code_challenge: 'abc', code_challenge_method: 'plain' }, 'invalid_request'],
      [{ scope: 'openid', code_challenge: 'abc' }, 'invalid_request'],
      [{ scope: 'openid', audience: 'https://not-allowed.example.com' }, 'invalid_request'],
      [{ scope: 'openid', request: 'eyJ...' }, 'request_not_supported']
    ]
    for (const [params, expected] of cases) {
      const result = await go(authorizeUrl(warden, client, { state: 'a-long-enough-state', ...params }))
      assert.equal(result.status, 303, JSON.stringify(params))
      assert.ok(/^http:\/\/127\.0\.0\.1:5555\/callback[?#]/.test(result.location), result.location)
      assert.equal(result.params.get('error'), expected, JSON.stringify(params))
      if (params.state === undefined) assert.equal(result.params.get('state'), 'a-long-enough-state')
    }
  })

  test('repeated parameters are invalid_request; audience may repeat', async () => {
    const client = await createFlowClient(warden, { audience: ['https://api.example.com'] })
    const repeated = await go(`${authorizeUrl(warden, client, { scope: 'openid' })}&scope=offline`)
    assert.equal(repeated.params.get('error'), 'invalid_request')
    assert.match(repeated.params.get('error_description') ?? '', /more than once/)
    const audiences = await go(`${authorizeUrl(warden, client, { scope: 'openid' })}&audience=https://api.example.com/a&audience=https://api.example.com/b`)
    assert.equal(audiences.status, 302)
    assert.ok(audiences.params.get('login_challenge'))
  })

  test('public clients must use PKCE here; S256 is accepted', async () => {
    const client = await createFlowClient(warden, { token_endpoint_auth_method: 'none' })
    const missing = await go(authorizeUrl(warden, client, { scope: 'openid' }))
    assert.equal(missing.params.get('error'), 'invalid_request')
    const ok = await go(authorizeUrl(warden, client, { scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }))
    assert.ok(ok.params.get('login_challenge'))
  })

  test('outside dev mode a plain-http, non-loopback redirect is refused at the end of the flow (as fosite does)', async () => {
    const client = await createFlowClient(warden, { redirect_uris: ['http://app.example.com/cb'], post_logout_redirect_uris: [] })
    const browser = new Browser()
    let stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    assert.equal(stop.kind, 'login')
    stop = await browser.navigate(await acceptLogin(warden, stop.challenge, { subject: 'nia' }), warden)
    stop = await browser.navigate(await acceptConsent(warden, stop.challenge), warden)
    assert.equal(stop.params.get('error'), 'invalid_request')
    assert.equal(stop.params.get('code'), null)
  })

  test('non-UTF-8 bytes are 400, a huge query is 4xx, never 5xx', async () => {
    const bad = await fetch(`${warden.publicUrl}oauth2/auth?client_id=%ff%fe&state=abcdefghij`, { redirect: 'manual' })
    assert.equal(bad.status, 400)
    assert.equal(((await bad.json()) as { error: string }).error, 'invalid_request')
    const huge = await fetch(`${warden.publicUrl}oauth2/auth?state=${'a'.repeat(100_000)}`, { redirect: 'manual' }).catch(() => undefined)
    if (huge !== undefined) assert.ok(huge.status >= 400 && huge.status < 500, String(huge.status))
  })

  test('fallback pages: escaped, no scripts, strict CSP', async () => {
    const response = await fetch(`${warden.publicUrl}oauth2/fallbacks/error?error=%3Cscript%3Ealert(1)%3C/script%3E&error_description=x%22y`)
    assert.equal(response.status, 500)
    const html = await response.text()
    assert.ok(!html.includes('<script>'))
    assert.match(html, /&#60;script&#62;/)
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/)
    for (const page of ['login', 'consent', 'logout']) {
      const fallback = await fetch(`${warden.publicUrl}oauth2/fallbacks/${page}`)
      assert.equal(fallback.status, 500)
      assert.match(await fallback.text(), new RegExp(`urls\\.${page}`))
    }
    const callback = await fetch(`${warden.publicUrl}oauth2/fallbacks/logout/callback`)
    assert.equal(callback.status, 200)
    await callback.arrayBuffer()
  })

  test('discovery advertises the authorization and end-session endpoints', async () => {
    const response = await fetch(`${warden.publicUrl}.well-known/openid-configuration`)
    const body = await response.json() as Record<string, unknown>
    assert.equal(body.authorization_endpoint, `${warden.publicUrl}oauth2/auth`)
    assert.equal(body.end_session_endpoint, `${warden.publicUrl}oauth2/sessions/logout`)
    assert.deepEqual(body.response_types_supported, ['code'])
    assert.deepEqual(body.code_challenge_methods_supported, ['S256'])
    await new Browser().navigate(`${warden.publicUrl}oauth2/fallbacks/login`, warden)
  })
})
