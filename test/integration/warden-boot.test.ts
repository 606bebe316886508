// The whole server as `warden serve all` composes it: health, version, discovery and JWKS through real listeners.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { MetadataApi, OidcApi, WellknownApi } from '@ory/hydra-client'
import { startTestWarden, type TestWarden } from '../support/warden.js'

describe('a complete Warden on SQLite', () => {
  let warden: TestWarden
  before(async () => { warden = await startTestWarden() })
  after(async () => { await warden.close() })

  test('is ready and reports its version on the admin port only', async () => {
    const metadata = new MetadataApi(warden.adminSdk)
    assert.deepEqual((await metadata.isReady()).data, { status: 'ok' })
    assert.match((await metadata.getVersion()).data.version ?? '', /^v\d+\.\d+\.\d+/)
    assert.equal((await fetch(`${warden.publicUrl}version`)).status, 404)
    assert.equal((await fetch(`${warden.publicUrl}admin/version`)).status, 404)
  })

  test('publishes discovery with the configured issuer and the generated signing keys', async () => {
    const discovery = (await new OidcApi(warden.publicSdk).discoverOidcConfiguration()).data
    assert.equal(discovery.issuer, warden.config.urls.self.issuer)
    assert.ok(discovery.jwks_uri.startsWith(warden.publicUrl))
    const jwks = (await new WellknownApi(warden.publicSdk).discoverJsonWebKeys()).data
    assert.equal(jwks.keys?.length, 2)
    for (const key of jwks.keys ?? []) assert.equal(key.d, undefined)
  })
})
