// Real responses conform to the schemas docs/openapi.json publishes: TypeBox check, and no top-level field left undocumented.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Value } from '@sinclair/typebox/value'
import { FormatRegistry, type TSchema } from '@sinclair/typebox'
import { OAuth2ClientWire } from '../../src/clients/client.wire.js'
import { HealthStatusSchema, VersionSchema } from '../../src/http/health.openapi.js'
import { ErrorOAuth2Schema } from '../../src/http/openapi.js'
import { JsonWebKeySetSchema } from '../../src/keys/keys.openapi.js'
import { OidcConfigurationSchema } from '../../src/oidc/oidc.openapi.js'
import { IntrospectionSchema, TokenResponseSchema } from '../../src/tokens/tokens.openapi.js'
import { startTestWarden, type TestWarden } from '../support/warden.js'

// TypeBox knows no formats until registered; these are the two the document uses.
if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (value) => URL.canParse(value))
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)))

function assertConforms (schema: TSchema, body: unknown, what: string): void {
  const items = Array.isArray(body) && (schema as { type?: string }).type !== 'array' ? body : [body]
  for (const item of items) {
    const first = Value.Errors(schema, item).First()
    assert.equal(first, undefined, `${what}: ${first?.path ?? ''} ${first?.message ?? ''}`)
    const documented = new Set(Object.keys((schema as { properties?: object }).properties ?? {}))
    const undocumented = Object.keys(item as object).filter((key) => !documented.has(key))
    assert.deepEqual(undocumented, [], `${what}: fields missing from the OpenAPI schema`)
  }
}

describe('responses match the OpenAPI schemas', () => {
  let warden: TestWarden
  before(async () => { warden = await startTestWarden() })
  after(async () => { await warden?.close() })

  const getJson = async (url: string): Promise<unknown> => {
    const response = await fetch(url)
    assert.ok(response.ok, `${url}: ${response.status}`)
    return await response.json()
  }

  test('health, version and discovery', async () => {
    assertConforms(HealthStatusSchema, await getJson(`${warden.publicUrl}health/alive`), 'isAlive')
    assertConforms(HealthStatusSchema, await getJson(`${warden.adminUrl}health/ready`), 'isReady')
    assertConforms(VersionSchema, await getJson(`${warden.adminUrl}version`), 'getVersion')
    assertConforms(OidcConfigurationSchema, await getJson(`${warden.publicUrl}.well-known/openid-configuration`), 'discoverOidcConfiguration')
    assertConforms(JsonWebKeySetSchema, await getJson(`${warden.publicUrl}.well-known/jwks.json`), 'discoverJsonWebKeys')
    assertConforms(JsonWebKeySetSchema, await getJson(`${warden.adminUrl}admin/keys/hydra.openid.id-token`), 'getJsonWebKeySet')
  })

  test('clients, tokens, introspection and errors', async () => {
    const created = await fetch(`${warden.adminUrl}admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_types: ['client_credentials'], scope: 'read', metadata: { team: 'a' } })
    })
    assert.equal(created.status, 201)
    const client = await created.json() as { client_id: string, client_secret: string }
    assertConforms(OAuth2ClientWire, client, 'createOAuth2Client')
    assertConforms(OAuth2ClientWire, await getJson(`${warden.adminUrl}admin/clients`), 'listOAuth2Clients')

    const token = await fetch(`${warden.publicUrl}oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' })
    })
    assert.equal(token.status, 200)
    const tokens = await token.json() as { access_token: string }
    assertConforms(TokenResponseSchema, tokens, 'oauth2TokenExchange')

    const introspection = await fetch(`${warden.adminUrl}admin/oauth2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token })
    })
    assertConforms(IntrospectionSchema, await introspection.json(), 'introspectOAuth2Token')

    const missing = await fetch(`${warden.adminUrl}admin/clients/no-such-client`)
    assert.equal(missing.status, 404)
    assertConforms(ErrorOAuth2Schema, await missing.json(), 'errorOAuth2')
  })
})
