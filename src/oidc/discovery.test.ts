// The discovery document: Hydra's fields and values once every feature is in, and only what exists before that.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { testConfig } from '../../test/support/start-servers.js'
import { DiscoveryService, buildDiscoveryDocument, capabilities, extendCapabilities, hydraCapabilities } from './discovery.js'

const config = (overrides: Parameters<typeof testConfig>[0] = {}) =>
  testConfig({ urls: { self: { issuer: 'https://auth.example/', public: 'https://public.example/base' } }, ...overrides })

describe('buildDiscoveryDocument', () => {
  test('with every feature it publishes each field Hydra publishes, with Hydra\'s values (hydra-api.md §1.2.1)', () => {
    const doc = buildDiscoveryDocument(config(), hydraCapabilities(), 'RS256')
    assert.deepEqual(doc, {
      issuer: 'https://auth.example/',
      authorization_endpoint: 'https://public.example/base/oauth2/auth',
      device_authorization_endpoint: 'https://public.example/base/oauth2/device/auth',
      token_endpoint: 'https://public.example/base/oauth2/token',
      jwks_uri: 'https://auth.example/.well-known/jwks.json',
      subject_types_supported: ['public'],
      response_types_supported: ['code', 'code id_token', 'id_token', 'token id_token', 'token', 'token id_token code'],
      claims_supported: ['sub'],
      grant_types_supported: ['authorization_code', 'implicit', 'client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      userinfo_endpoint: 'https://public.example/base/userinfo',
      scopes_supported: ['offline_access', 'offline', 'openid'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'],
      userinfo_signing_alg_values_supported: ['none', 'RS256'],
      id_token_signing_alg_values_supported: ['RS256'],
      id_token_signed_response_alg: ['RS256'],
      userinfo_signed_response_alg: ['RS256'],
      request_parameter_supported: true,
      request_uri_parameter_supported: true,
      require_request_uri_registration: true,
      claims_parameter_supported: false,
      revocation_endpoint: 'https://auth.example/oauth2/revoke',
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      frontchannel_logout_supported: true,
      frontchannel_logout_session_supported: true,
      end_session_endpoint: 'https://auth.example/oauth2/sessions/logout',
      request_object_signing_alg_values_supported: ['none', 'RS256', 'ES256'],
      code_challenge_methods_supported: ['plain', 'S256'],
      credentials_endpoint_draft_00: 'https://public.example/base/credentials',
      credentials_supported_draft_00: [{
        format: 'jwt_vc_json',
        types: ['VerifiableCredential', 'UserInfoCredential'],
        cryptographic_binding_methods_supported: ['jwk'],
        cryptographic_suites_supported: ['PS256', 'RS256', 'ES256', 'PS384', 'RS384', 'ES384', 'PS512', 'RS512', 'ES512', 'EdDSA']
      }]
    })
  })

  test('before any flow exists it advertises no endpoint or grant that would answer 404', () => {
    const doc = buildDiscoveryDocument(config(), capabilities(), 'ES256')
    for (const field of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'revocation_endpoint', 'end_session_endpoint',
      'device_authorization_endpoint', 'registration_endpoint', 'credentials_endpoint_draft_00', 'userinfo_signing_alg_values_supported']) {
      assert.equal(field in doc, false, field)
    }
    assert.deepEqual(doc.grant_types_supported, [])
    assert.deepEqual(doc.response_types_supported, [])
    assert.equal(doc.request_parameter_supported, false)
    assert.equal(doc.backchannel_logout_supported, false)
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['ES256'])
    assert.equal(doc.jwks_uri, 'https://auth.example/.well-known/jwks.json')
  })

  test('features extend the lists without duplicates', () => {
    const caps = extendCapabilities(extendCapabilities(capabilities(), { endpoints: { token: true }, grantTypes: ['client_credentials'], tokenEndpointAuthMethods: ['client_secret_basic'] }),
      { grantTypes: ['client_credentials', 'refresh_token'], endpoints: { token: false } })
    const doc = buildDiscoveryDocument(config(), caps, 'RS256')
    assert.equal(doc.token_endpoint, 'https://public.example/base/oauth2/token')
    assert.deepEqual(doc.grant_types_supported, ['client_credentials', 'refresh_token'])
    assert.deepEqual(doc.token_endpoint_auth_methods_supported, ['client_secret_basic'])
  })

  test('webfinger.oidc_discovery overrides win and extend claims and scopes; the issuer stays verbatim', () => {
    const doc = buildDiscoveryDocument(config({
      urls: { self: { issuer: 'https://auth.example/realm' } },
      webfinger: {
        oidc_discovery: {
          auth_url: 'https://login.example/authorize',
          token_url: 'https://login.example/token',
          jwks_url: 'https://cdn.example/jwks.json',
          userinfo_url: 'https://login.example/me',
          client_registration_url: 'https://admin.example/clients',
          supported_claims: ['email', 'sub', 'name'],
          supported_scope: ['email', 'openid']
        }
      }
    }), capabilities(), 'RS256')
    assert.equal(doc.issuer, 'https://auth.example/realm')
    assert.equal(doc.authorization_endpoint, 'https://login.example/authorize')
    assert.equal(doc.token_endpoint, 'https://login.example/token')
    assert.equal(doc.jwks_uri, 'https://cdn.example/jwks.json')
    assert.equal(doc.userinfo_endpoint, 'https://login.example/me')
    assert.equal(doc.registration_endpoint, 'https://admin.example/clients')
    assert.deepEqual(doc.claims_supported, ['sub', 'email', 'name'])
    assert.deepEqual(doc.scopes_supported, ['offline_access', 'offline', 'openid', 'email'])
    assert.equal(doc.device_authorization_endpoint, undefined)
  })

  test('subject types follow Hydra: pairwise only when implemented, and never with JWT access tokens', () => {
    const pairwise = { oidc: { subject_identifiers: { supported_types: ['public', 'pairwise'] as Array<'public' | 'pairwise'>, pairwise: { salt: 'a-long-enough-salt' } } } }
    assert.deepEqual(buildDiscoveryDocument(config(pairwise), hydraCapabilities(), 'RS256').subject_types_supported, ['public', 'pairwise'])
    assert.deepEqual(buildDiscoveryDocument(config(pairwise), capabilities(), 'RS256').subject_types_supported, ['public'])
    assert.deepEqual(buildDiscoveryDocument(config({ ...pairwise, strategies: { access_token: 'jwt' } }), hydraCapabilities(), 'RS256').subject_types_supported, ['public'])
    const onlyPairwise = { oidc: { subject_identifiers: { supported_types: ['pairwise'] as Array<'public' | 'pairwise'>, pairwise: { salt: 'a-long-enough-salt' } } } }
    assert.deepEqual(buildDiscoveryDocument(config(onlyPairwise), hydraCapabilities(), 'RS256').subject_types_supported, ['pairwise'])
  })
})

describe('DiscoveryService', () => {
  test('serves one cached buffer until the ID-token signing algorithm changes', async () => {
    let alg = 'RS256'
    let calls = 0
    const service = new DiscoveryService({ config: config(), capabilities: capabilities(), idTokenSigningAlg: async () => { calls++; return alg } })
    const first = await service.document()
    assert.equal(await service.document(), first)
    alg = 'EdDSA'
    const second = await service.document()
    assert.notEqual(second.etag, first.etag)
    assert.deepEqual((JSON.parse(second.body.toString()) as { id_token_signing_alg_values_supported: string[] }).id_token_signing_alg_values_supported, ['EdDSA'])
    assert.equal(calls, 3)
  })
})
