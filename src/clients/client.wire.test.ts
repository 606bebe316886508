// The wire mappers: a client survives wire → draft, field order and omission follow Hydra's JSON.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { emptyDraft } from './client.js'
import { OAuth2ClientWire, assertWire, clientDraftFromWire, clientToWire } from './client.wire.js'
import { sampleClient } from './clients.store.contract.js'

describe('client wire mappers', () => {
  test('round trip: client → wire JSON → draft keeps every submitted field', () => {
    const client = sampleClient({ lifespansMs: { ...sampleClient().lifespansMs, implicitGrantIdToken: 90_000 } })
    const json: unknown = JSON.parse(JSON.stringify(clientToWire(client, { secret: 'cleartext-secret' })))
    assertWire(OAuth2ClientWire, json)
    const { secretHash, rotatedSecretHashes, registrationAccessTokenSignature, createdAt, updatedAt, ...submitted } = client
    assert.deepEqual(clientDraftFromWire(json), { ...submitted, secret: 'cleartext-secret' })
  })

  test('an empty body decodes to Go\'s zero values', () => {
    assert.deepEqual(clientDraftFromWire({}), emptyDraft())
    assert.deepEqual(clientDraftFromWire({ client_name: null, jwks: {}, metadata: null, skip_logout_consent: null }), emptyDraft())
  })

  test('fields come in Hydra\'s order; omitempty fields are left out when empty', () => {
    const { secretHash, rotatedSecretHashes, registrationAccessTokenSignature, createdAt, updatedAt, ...rest } = sampleClient()
    const minimal = {
      ...rest, ...emptyDraft(), secretHash, rotatedSecretHashes, registrationAccessTokenSignature, createdAt, updatedAt,
      id: 'c', scope: 'openid', subjectType: 'public', tokenEndpointAuthMethod: 'client_secret_basic', userinfoSignedResponseAlg: 'none'
    }
    const wire = clientToWire(minimal)
    assert.deepEqual(Object.keys(wire).slice(0, 24), [
      'client_id', 'client_name', 'redirect_uris', 'grant_types', 'response_types', 'scope', 'audience', 'owner', 'policy_uri',
      'allowed_cors_origins', 'tos_uri', 'client_uri', 'logo_uri', 'contacts', 'client_secret_expires_at', 'subject_type', 'jwks',
      'token_endpoint_auth_method', 'userinfo_signed_response_alg', 'created_at', 'updated_at', 'metadata', 'skip_consent', 'skip_logout_consent'
    ])
    assert.equal(Object.keys(wire).length, 24 + 13)
    assert.deepEqual(wire.jwks, {})
    assert.deepEqual(wire.metadata, {})
    assert.equal(wire.created_at, '2026-01-02T03:04:05Z')
    assert.equal('metadata' in clientToWire(minimal, { hideMetadata: true }), false)
  })

  test('assertWire names the offending field', () => {
    assert.throws(() => assertWire(OAuth2ClientWire, { contacts: [1] }), /at \/contacts: expected array or null/)
    assert.throws(() => assertWire(OAuth2ClientWire, 'x'), /Unable to decode the request body/)
  })
})
