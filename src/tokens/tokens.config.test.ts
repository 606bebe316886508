// The tokens slice of Config: durations, "-1" refresh lifetimes, token URLs accepted as assertion audiences.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testConfig } from '../../test/support/start-servers.js'
import { tokensConfigFrom } from './tokens.config.js'

test('durations are decoded; ttl.refresh_token "-1" means never', () => {
  const settings = tokensConfigFrom(testConfig({ ttl: { refresh_token: '-1', access_token: '90s' }, urls: { self: { issuer: 'https://op.example/' } } }))
  assert.equal(settings.refreshTokenTtlMs, -1)
  assert.equal(settings.accessTokenTtlMs, 90_000)
  assert.ok(settings.tokenUrls.includes('https://op.example/oauth2/token'))
  assert.ok(settings.tokenUrls.includes('https://op.example/'))
})
