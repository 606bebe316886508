// trust.wire.ts: the create body decoder and the response mapper.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isOAuth2Error } from '../errors/oauth2-error.js'
import { sampleTrust } from './trust.store.contract.js'
import { trustRequestFromWire, trustToWire } from './trust.wire.js'

describe('trust wire format', () => {
  test('a relationship renders with Hydra\'s field names, public_key {set, kid} and second-precision RFC 3339 times', () => {
    const grant = sampleTrust({ createdAt: new Date('2026-11-29T12:00:00Z'), expiresAt: new Date('2027-01-01T00:00:00Z') })
    assert.deepEqual(trustToWire(grant), {
      id: grant.id,
      issuer: grant.issuer,
      subject: 'alice@example.com',
      allow_any_subject: false,
      scope: ['read', 'write.*'],
      public_key: { set: grant.issuer, kid: 'key-1' },
      created_at: '2026-11-29T12:00:00Z',
      expires_at: '2027-01-01T00:00:00Z'
    })
  })

  test('the create body decodes; absent fields stay absent for the service to name', () => {
    const jwk = { kty: 'EC', kid: 'k' }
    assert.deepEqual(trustRequestFromWire({ issuer: 'https://i', subject: 's', scope: ['a'], jwk, expires_at: '2030-01-01T00:00:00+02:00' }), {
      issuer: 'https://i', subject: 's', allowAnySubject: false, scope: ['a'], jwk, expiresAt: new Date('2029-12-31T22:00:00Z')
    })
    assert.deepEqual(trustRequestFromWire({ allow_any_subject: true, scope: null }), {
      issuer: '', subject: '', allowAnySubject: true, scope: [], jwk: undefined, expiresAt: undefined
    })
  })

  test('wrong JSON types are 400 with error "error", as Hydra\'s decoder answers', () => {
    for (const body of [null, [], 'x', { issuer: 1 }, { allow_any_subject: 'yes' }, { scope: [1] }, { jwk: 'k' }, { expires_at: '2030-01-01' }, { expires_at: 5 }]) {
      assert.throws(() => trustRequestFromWire(body), (error: unknown) => isOAuth2Error(error) && error.error === 'error' && error.statusCode === 400, JSON.stringify(body))
    }
  })
})
