// Unit tests of the flow engine's pure parts: codec purposes, scope/audience matching, redirect URIs, params, cookies.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Sealer } from '../keys/sealing.js'
import { murmur3Hash32 } from '../lib/murmur3.js'
import { UnreadableParamsError, firstRepeated, parseQueryString, single, spaceList } from './authorize-params.js'
import { deliver, escapeHtml, frontChannelLogoutPage } from './browser-outcome.js'
import { FlowState, FlowPurpose, canTransition } from './flow.js'
import { FlowCodec } from './flow-codec.js'
import { FlowCookies, parseCookieHeader } from './flow-cookies.js'
import { canPublicClientSkipConsent, isSecureRedirectUri, resolveRedirectUri } from './redirect-uri.js'
import { audienceAllowed as isAudienceAllowed, scopeMatcher } from '../tokens/scope-strategy.js'
import { pairwiseSubject, sectorIdentifier } from './subject-identifier.js'

const sealer = new Sealer(['a-test-system-secret-of-32-chars'])

describe('flow codec', () => {
  const codec = new FlowCodec(sealer, () => 'network-a')

  test('round trip, small and compressed', () => {
    const small = { id: 'x', n: 1 }
    assert.deepEqual(codec.open(codec.seal(small, FlowPurpose.LOGIN_CHALLENGE), FlowPurpose.LOGIN_CHALLENGE), small)
    const big = { id: 'y', context: 'z'.repeat(5000) }
    const sealed = codec.seal(big, FlowPurpose.CONSENT_VERIFIER)
    assert.ok(sealed.length < 1000, 'large repetitive context is compressed')
    assert.deepEqual(codec.open(sealed, FlowPurpose.CONSENT_VERIFIER), big)
  })

  test('a value of one purpose never opens as another, nor in another network', () => {
    const sealed = codec.seal({ id: 'x' }, FlowPurpose.LOGIN_CHALLENGE)
    for (const purpose of [FlowPurpose.LOGIN_VERIFIER, FlowPurpose.CONSENT_CHALLENGE, FlowPurpose.CONSENT_VERIFIER, FlowPurpose.LOGOUT_CHALLENGE]) {
      assert.equal(codec.open(sealed, purpose), undefined)
    }
    assert.equal(new FlowCodec(sealer, () => 'network-b').open(sealed, FlowPurpose.LOGIN_CHALLENGE), undefined)
  })

  test('forged, truncated and garbage values are refused', () => {
    const sealed = codec.seal({ id: 'x' }, FlowPurpose.LOGIN_CHALLENGE)
    const flipped = `${sealed.slice(0, 10)}${sealed[10] === 'A' ? 'B' : 'A'}${sealed.slice(11)}`
    for (const value of [flipped, sealed.slice(0, 20), '', 'not base64 !', 'x'.repeat(70_000)]) {
      assert.equal(codec.open(value, FlowPurpose.LOGIN_CHALLENGE), undefined)
    }
  })

  test('state machine transitions', () => {
    assert.ok(canTransition({ state: FlowState.LOGIN_INITIALIZED }, 'handleLogin'))
    assert.ok(canTransition({ state: FlowState.LOGIN_ERROR }, 'redeemLogin'))
    assert.ok(!canTransition({ state: FlowState.LOGIN_INITIALIZED }, 'redeemLogin'))
    assert.ok(!canTransition({ state: FlowState.CONSENT_USED }, 'handleConsent'))
    assert.ok(canTransition({ state: FlowState.CONSENT_UNUSED }, 'redeemConsent'))
  })
})

describe('scope and audience strategies', () => {
  const wildcardScope = (pattern: string, scope: string): boolean => scopeMatcher('wildcard')([pattern], scope)
  const exactScope = (pattern: string, scope: string): boolean => scopeMatcher('exact')([pattern], scope)
  test('wildcard (hydra-api.md §4.16)', () => {
    assert.ok(wildcardScope('foo', 'foo'))
    assert.ok(!wildcardScope('foo', 'foo.bar'))
    assert.ok(wildcardScope('foo.*', 'foo.bar'))
    assert.ok(wildcardScope('foo.*', 'foo.bar.baz'))
    assert.ok(!wildcardScope('foo.*', 'foo'))
    assert.ok(wildcardScope('foo.*.baz', 'foo.bar.baz'))
    assert.ok(!wildcardScope('foo.*.baz', 'foo.bar.qux'))
    assert.ok(!wildcardScope('foo.*.baz', 'foo..baz'))
    assert.ok(!exactScope('foo.*', 'foo.bar'))
  })

  test('audience URL prefixes', () => {
    assert.ok(isAudienceAllowed(['https://api.example.com/foo'], 'https://api.example.com/foo/bar'))
    assert.ok(isAudienceAllowed(['https://api.example.com/foo'], 'https://api.example.com/foo'))
    assert.ok(!isAudienceAllowed(['https://api.example.com/foo'], 'https://api.example.com/foobar'))
    assert.ok(!isAudienceAllowed(['https://api.example.com/foo'], 'http://api.example.com/foo'))
    assert.ok(isAudienceAllowed(['plain-audience'], 'plain-audience'))
    assert.ok(!isAudienceAllowed([], 'anything'))
  })
})

describe('redirect URIs (hydra-api.md §3.13)', () => {
  const registered = ['https://app.example.com/cb', 'http://127.0.0.1:8080/cb?x=1', 'com.example.app:/cb']
  test('exact match, loopback any port, no userinfo or fragment', () => {
    assert.deepEqual(resolveRedirectUri(registered, 'https://app.example.com/cb', true), { ok: true, uri: 'https://app.example.com/cb' })
    assert.equal(resolveRedirectUri(registered, 'https://app.example.com/cb/', true).ok, false)
    assert.equal(resolveRedirectUri(registered, 'http://127.0.0.1:9999/cb?x=1', true).ok, true)
    assert.equal(resolveRedirectUri(registered, 'http://127.0.0.1:9999/cb?x=2', true).ok, false)
    assert.equal(resolveRedirectUri(['http://localhost:8080/cb'], 'http://localhost:9999/cb', true).ok, false)
    assert.equal(resolveRedirectUri(['https://u:p@app.example.com/cb'], 'https://u:p@app.example.com/cb', false).ok, false)
    assert.equal(resolveRedirectUri(['https://app.example.com/cb#x'], 'https://app.example.com/cb#x', false).ok, false)
    assert.equal(resolveRedirectUri(registered, 'com.example.app:/cb', false).ok, true)
  })
  test('omitted redirect_uri', () => {
    assert.deepEqual(resolveRedirectUri(['https://a/cb'], '', false), { ok: true, uri: 'https://a/cb' })
    assert.equal(resolveRedirectUri(['https://a/cb'], '', true).ok, false, 'mandatory with openid')
    assert.equal(resolveRedirectUri(['https://a/cb', 'https://b/cb'], '', false).ok, false)
  })
  test('insecure http and public-client consent skipping', () => {
    assert.ok(isSecureRedirectUri('https://x/cb'))
    assert.ok(isSecureRedirectUri('http://localhost/cb'))
    assert.ok(isSecureRedirectUri('http://app.localhost/cb'))
    assert.ok(isSecureRedirectUri('http://[::1]:3000/cb'))
    assert.ok(!isSecureRedirectUri('http://example.com/cb'))
    assert.ok(isSecureRedirectUri('com.example:/cb'))
    assert.ok(!canPublicClientSkipConsent('com.example:/cb'))
    assert.ok(canPublicClientSkipConsent('http://127.0.0.1:1/cb'))
    assert.ok(!canPublicClientSkipConsent('http://example.com/cb'))
  })
})

describe('authorize parameters', () => {
  test('strict UTF-8 and repeats', () => {
    assert.throws(() => parseQueryString('scope=%ff%fe'), UnreadableParamsError)
    const params = parseQueryString('scope=a+b&scope=c&audience=x&audience=y%20z&state=%C3%A9t%C3%A9')
    assert.equal(single(params, 'state'), 'été')
    assert.throws(() => single(params, 'scope'), /more than once/)
    assert.deepEqual(spaceList(params, 'audience'), ['x', 'y', 'z'])
    assert.equal(firstRepeated(params), 'scope')
  })
})

describe('cookies and outcomes', () => {
  const settings = {
    isDev: true, isSecureInDev: false, sameSite: 'None' as const, isLegacyWorkaround: false, domain: undefined,
    sessionPath: '/', names: { session: 'ory_hydra_session', loginCsrf: 'ory_hydra_login_csrf', consentCsrf: 'ory_hydra_consent_csrf' },
    issuer: 'http://127.0.0.1:4444/'
  }

  test('murmur3 matches the reference vectors', () => {
    assert.equal(murmur3Hash32(''), 0)
    assert.equal(murmur3Hash32('hello'), 613153351)
    assert.equal(murmur3Hash32('The quick brown fox jumps over the lazy dog'), 776992547)
  })

  test('names, attributes and CSRF checks', () => {
    const cookies = new FlowCookies(settings, sealer)
    assert.equal(cookies.sessionName, 'ory_hydra_session_dev')
    assert.match(cookies.csrfName('login', 'client-a'), /^ory_hydra_login_csrf_dev_\d+$/)
    const [line = ''] = cookies.csrfCookies('login', 'client-a', 'abc', 1800)
    assert.match(line, /HttpOnly/)
    assert.match(line, /SameSite=Lax/, 'None is downgraded on an http issuer')
    assert.doesNotMatch(line, /Secure/, 'dev mode without serve.cookies.secure')
    const jar = parseCookieHeader(line.split(';')[0])
    cookies.assertCsrf('login', 'client-a', 'abc', jar, '127.0.0.1:4444')
    assert.throws(() => { cookies.assertCsrf('login', 'client-a', 'xyz', jar, '127.0.0.1:4444') }, /does not match/)
    assert.throws(() => { cookies.assertCsrf('login', 'client-b', 'abc', jar, '127.0.0.1:4444') }, /request_forbidden|not allowed/)
    assert.throws(() => { cookies.assertCsrf('login', 'client-a', 'abc', new Map(), 'localhost:4444') }, (error: Error & { hint?: string }) => {
      assert.match(error.hint ?? '', /"localhost:4444" but the configured issuer is "127\.0\.0\.1:4444"/)
      return true
    })
    const production = new FlowCookies({ ...settings, isDev: false, issuer: 'https://auth.example.com/' }, sealer)
    const [secure = ''] = production.csrfCookies('consent', 'client-a', 'abc', 60)
    assert.match(secure, /Secure/)
    assert.match(secure, /SameSite=None/)
    assert.ok(secure.startsWith('ory_hydra_consent_csrf_'))
  })

  test('serve.cookies.same_site_legacy_workaround: a _legacy copy without SameSite, read only when the main cookie is missing', () => {
    const https = { ...settings, isDev: false, issuer: 'https://auth.example.com/' }
    const cookies = new FlowCookies({ ...https, isLegacyWorkaround: true }, sealer)
    const name = cookies.csrfName('login', 'client-a')
    const [main = '', legacy = '', ...rest] = cookies.csrfCookies('login', 'client-a', 'abc', 60)
    assert.equal(rest.length, 0)
    assert.match(main, /SameSite=None/)
    assert.ok(legacy.startsWith(`${name}_legacy=`))
    assert.doesNotMatch(legacy, /SameSite/)
    assert.match(legacy, /; Secure$/)
    const onlyLegacy = parseCookieHeader(legacy.split(';')[0])
    cookies.assertCsrf('login', 'client-a', 'abc', onlyLegacy, 'auth.example.com')
    assert.throws(() => { cookies.assertCsrf('login', 'client-a', 'xyz', onlyLegacy, 'auth.example.com') }, /does not match/)
    // Without the workaround (or when SameSite=None is not really sent) no copy is written and none is accepted.
    const plain = new FlowCookies(https, sealer)
    assert.equal(plain.csrfCookies('login', 'client-a', 'abc', 60).length, 1)
    assert.throws(() => { plain.assertCsrf('login', 'client-a', 'abc', onlyLegacy, 'auth.example.com') }, /did not send the login CSRF cookie/)
    assert.equal(new FlowCookies({ ...settings, isLegacyWorkaround: true }, sealer).csrfCookies('login', 'client-a', 'abc', 60).length, 1, 'http issuer: Lax, no copy')
  })

  test('front-channel logout page: escaped iframes, nonce script, CSP limited to the frames\' origins', () => {
    const outcome = frontChannelLogoutPage(['https://rp.example.com/fc?iss=x&sid=1', 'http://127.0.0.1:9/fc?a="b"'], 'https://rp.example.com/bye?x=</script>', ['c=1'])
    assert.equal(outcome.kind, 'html')
    if (outcome.kind !== 'html') return
    assert.equal(outcome.status, 200)
    assert.deepEqual(outcome.cookies, ['c=1'])
    assert.match(outcome.body, /<iframe src="https:\/\/rp\.example\.com\/fc\?iss=x&#38;sid=1" hidden/)
    assert.match(outcome.body, /a=&#34;b&#34;/)
    assert.ok(!outcome.body.includes('x=</script>'), 'the redirect target cannot end the script')
    assert.match(outcome.body, /http-equiv="refresh" content="7;url=https:\/\/rp\.example\.com\/bye/)
    const nonce = /nonce="([^"]+)"/.exec(outcome.body)?.[1] ?? ''
    assert.notEqual(nonce, '')
    assert.match(outcome.contentSecurityPolicy, new RegExp(`script-src 'nonce-${nonce}'`))
    assert.match(outcome.contentSecurityPolicy, /frame-src https:\/\/rp\.example\.com http:\/\/127\.0\.0\.1:9;/)
    assert.match(outcome.contentSecurityPolicy, /^default-src 'none'/)
  })

  test('form_post escapes values and uses a CSP nonce', () => {
    const outcome = deliver('https://app.example.com/cb', 'form_post', { code: '"><script>x</script>', state: 's' })
    assert.equal(outcome.kind, 'html')
    if (outcome.kind !== 'html') return
    assert.ok(!outcome.body.includes('<script>x'))
    assert.match(outcome.contentSecurityPolicy, /script-src 'nonce-[A-Za-z0-9_-]+'/)
    assert.match(outcome.contentSecurityPolicy, /form-action https:\/\/app\.example\.com/)
    assert.equal(escapeHtml('<a href="x">&\''), '&#60;a href=&#34;x&#34;&#62;&#38;&#39;')
    const fragment = deliver('https://app.example.com/cb', 'fragment', { code: 'c' })
    assert.equal(fragment.kind === 'redirect' ? fragment.location : '', 'https://app.example.com/cb#code=c')
  })

  test('pairwise subjects', () => {
    assert.equal(sectorIdentifier({ sectorIdentifierUri: '', redirectUris: ['https://app.example.com/cb'] }), 'app.example.com')
    assert.throws(() => sectorIdentifier({ sectorIdentifierUri: '', redirectUris: ['https://a/cb', 'https://b/cb'] }))
    assert.equal(pairwiseSubject('app.example.com', 'alice', 'salt-salt'), pairwiseSubject('app.example.com', 'alice', 'salt-salt'))
    assert.notEqual(pairwiseSubject('app.example.com', 'alice', 'salt-salt'), pairwiseSubject('other.example.com', 'alice', 'salt-salt'))
  })
})
