// warden doctor's configuration checks: each problem is found and names the key to change.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadConfig } from '../config/load.js'
import { checkChallengeLifetime, checkCookies, checkIssuerAndTls, checkLoginApp, checkSecrets, describeBrowserAndGateway, describeEndpoints } from './doctor-checks.js'

const config = (env: Record<string, string>, isDev = false) => loadConfig({ files: [], flags: isDev ? { dev: true } : {}, env }).config

describe('doctor checks', () => {
  test('an https issuer in front of a plain listener without allow_termination_from is a warning naming the key', () => {
    const [finding] = checkIssuerAndTls(config({ URLS_SELF_ISSUER: 'https://auth.example.com/' }))
    assert.equal(finding?.severity, 'warn')
    assert.match(finding?.fix ?? '', /serve\.tls\.allow_termination_from/)
    assert.equal(checkIssuerAndTls(config({ URLS_SELF_ISSUER: 'https://auth.example.com/', SERVE_TLS_ALLOW_TERMINATION_FROM: '10.0.0.0/8' }))[0]?.severity, 'ok')
    assert.equal(checkIssuerAndTls(config({ URLS_SELF_ISSUER: 'http://auth.example.com/' }))[0]?.severity, 'error')
    assert.match(checkIssuerAndTls(config({ URLS_SELF_ISSUER: 'https://auth.example.com/' }))[0]?.text ?? '', /SELF-SIGNED/)
    assert.match(checkIssuerAndTls(config({ URLS_SELF_ISSUER: 'https://auth.example.com/', SERVE_TLS_ENABLED: 'false' }))[0]?.text ?? '', /serves plain HTTP and trusts no TLS-terminating proxy/)
    assert.match(checkIssuerAndTls(config({ URLS_SELF_ISSUER: 'https://auth.example.com/', SERVE_TLS_CERT_PATH: '/etc/cert.pem' }))[0]?.text ?? '', /serve\.public\.tls\.key: a TLS certificate is configured but no private key/)
    assert.equal(checkIssuerAndTls(config({ URLS_SELF_ISSUER: 'http://127.0.0.1:4444/', SERVE_TLS_ALLOW_TERMINATION_FROM: '127.0.0.1' }, true))[0]?.fix, 'urls.self.issuer')
  })

  test('cookies: Secure over http in dev, Strict, and localhost mixed with 127.0.0.1', () => {
    assert.equal(checkCookies(config({ SERVE_COOKIES_SECURE: 'true' }, true)).some((finding) => finding.severity === 'error'), true)
    assert.match(checkCookies(config({ SERVE_COOKIES_SAME_SITE_MODE: 'Strict', URLS_SELF_ISSUER: 'https://a.example/' }))[0]?.fix ?? '', /same_site_mode: Lax/)
    const mixed = checkCookies(config({ URLS_SELF_ISSUER: 'http://127.0.0.1:4444/', URLS_LOGIN: 'http://localhost:3000/login' }, true))
    assert.ok(mixed.some((finding) => /localhost.*127\.0\.0\.1/.test(finding.text)))
  })

  test('secrets: short ones are errors; several mean a rotation', () => {
    // The loader already refuses short secrets; doctor checks a config that came another way.
    const loaded = config({ SECRETS_SYSTEM: 'a-long-enough-secret-1' })
    const short = { ...loaded, secrets: { ...loaded.secrets, cookie: ['short'] } }
    assert.equal(checkSecrets(short)[0]?.severity, 'error')
    assert.ok(checkSecrets(config({ SECRETS_SYSTEM: 'a-long-enough-secret-1,a-long-enough-secret-2' })).some((finding) => /rotation/.test(finding.text)))
  })

  test('the login app: unset is a warning outside dev mode; the endpoint summary names every URL', () => {
    assert.equal(checkLoginApp(config({}))[0]?.severity, 'warn')
    assert.equal(checkLoginApp(config({ URLS_LOGIN: 'https://l/', URLS_CONSENT: 'https://c/' }))[0]?.severity, 'ok')
    assert.ok(describeEndpoints(config({ URLS_SELF_ISSUER: 'https://auth.example.com/' })).some((line) => line.includes('https://auth.example.com/oauth2/token')))
  })

  test('what a browser gets: dev cookie names, SameSite=None over http sent as Lax, no Secure; and what a gateway must do', () => {
    const dev = describeBrowserAndGateway(config({ SERVE_COOKIES_DOMAIN: 'example.test' }, true))
    assert.ok(dev.includes('cookies                ory_hydra_session_dev, ory_hydra_login_csrf_dev_<client>, ory_hydra_consent_csrf_dev_<client>'))
    assert.ok(dev.includes('cookie attributes      HttpOnly; SameSite=Lax; Domain=example.test'))
    assert.ok(dev.includes('gateway                plain HTTP on <this host>:4444; X-Forwarded-Proto is not checked'))
    const production = describeBrowserAndGateway(config({ URLS_SELF_ISSUER: 'https://auth.example.com/', SERVE_TLS_ALLOW_TERMINATION_FROM: '10.0.0.0/8' }))
    assert.ok(production.includes('cookie attributes      HttpOnly; Secure; SameSite=None; host-only (auth.example.com)'))
    assert.ok(production.some((line) => /^gateway +forward to http:\/\/<this host>:4444 from 10\.0\.0\.0\/8, with X-Forwarded-Proto: https$/.test(line)))
    assert.ok(describeBrowserAndGateway(config({ URLS_SELF_ISSUER: 'https://auth.example.com/' })).some((line) => /Warden speaks HTTPS .* \(self-signed certificate\)/.test(line)))
  })

  test('challenges shorter-lived than a slow sign-in are a warning naming ttl.login_consent_request', () => {
    assert.deepEqual(checkChallengeLifetime(config({})), [])
    assert.match(checkChallengeLifetime(config({ TTL_LOGIN_CONSENT_REQUEST: '2m' }))[0]?.fix ?? '', /^ttl\.login_consent_request/)
  })
})
