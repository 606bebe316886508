// Tests selfUrls and joinUrl: Hydra's URL defaults, path prefixes and trailing slashes.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadConfig } from './load.js'
import { joinUrl, selfUrls } from './urls.js'

function urlsFor (env: Record<string, string>) {
  return selfUrls(loadConfig({ files: [], flags: {}, env }).config)
}

describe('selfUrls', () => {
  test('fallback pages sit under the public URL, keeping its path prefix', () => {
    assert.deepEqual(urlsFor({ URLS_SELF_ISSUER: 'https://example.com/hydra/' }), {
      issuer: 'https://example.com/hydra/',
      public: 'https://example.com/hydra/',
      admin: 'http://127.0.0.1:4445/',
      login: 'https://example.com/hydra/oauth2/fallbacks/login',
      consent: 'https://example.com/hydra/oauth2/fallbacks/consent',
      logout: 'https://example.com/hydra/oauth2/fallbacks/logout',
      error: 'https://example.com/hydra/oauth2/fallbacks/error',
      postLogoutRedirect: 'https://example.com/hydra/oauth2/fallbacks/logout/callback',
      registration: 'https://example.com/hydra/oauth2/fallbacks/login',
      deviceVerification: 'https://example.com/hydra/oauth2/fallbacks/device',
      deviceSuccess: 'https://example.com/hydra/oauth2/fallbacks/device/done'
    })
  })

  test('the issuer is kept verbatim; the public URL gains its trailing slash', () => {
    const urls = urlsFor({ URLS_SELF_ISSUER: 'https://example.com/hydra' })
    assert.equal(urls.issuer, 'https://example.com/hydra')
    assert.equal(urls.public, 'https://example.com/hydra/')
    assert.equal(urls.consent, 'https://example.com/hydra/oauth2/fallbacks/consent')
  })

  test('configured URLs win; registration follows login', () => {
    const urls = urlsFor({
      URLS_SELF_ISSUER: 'https://issuer.example/',
      URLS_SELF_PUBLIC: 'https://public.example/base',
      URLS_SELF_ADMIN: 'https://admin.example',
      URLS_LOGIN: 'https://ui.example/login',
      URLS_DEVICE_SUCCESS: 'https://ui.example/done'
    })
    assert.equal(urls.public, 'https://public.example/base/')
    assert.equal(urls.admin, 'https://admin.example/')
    assert.equal(urls.login, 'https://ui.example/login')
    assert.equal(urls.registration, 'https://ui.example/login')
    assert.equal(urls.error, 'https://public.example/base/oauth2/fallbacks/error')
    assert.equal(urls.deviceSuccess, 'https://ui.example/done')
  })

  test('listener URLs follow host, port and TLS', () => {
    const urls = urlsFor({ SERVE_PUBLIC_HOST: '::1', SERVE_PUBLIC_PORT: '8443', SERVE_TLS_ENABLED: 'true', SERVE_ADMIN_HOST: '10.0.0.5', SERVE_ADMIN_TLS_ENABLED: 'false' })
    assert.equal(urls.issuer, 'https://[::1]:8443/')
    assert.equal(urls.admin, 'http://10.0.0.5:4445/')
  })
})

describe('joinUrl', () => {
  test('puts exactly one slash between base and path', () => {
    assert.equal(joinUrl('https://example.com/hydra/', '/oauth2/token'), 'https://example.com/hydra/oauth2/token')
    assert.equal(joinUrl('https://example.com/hydra', 'oauth2/token'), 'https://example.com/hydra/oauth2/token')
    assert.equal(joinUrl('https://example.com/', '.well-known/jwks.json'), 'https://example.com/.well-known/jwks.json')
    assert.equal(joinUrl('https://example.com', '//userinfo'), 'https://example.com/userinfo')
  })
})
