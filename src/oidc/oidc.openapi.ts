// OpenAPI records of discovery, userinfo and RP-initiated logout (discovery/userinfo/logout .public-routes.ts).
import { Type } from '@sinclair/typebox'
import { operation, type OpenApiOperation, type OperationResponse } from '../http/openapi.js'

const url = (description: string) => Type.Optional(Type.String({ format: 'uri', description }))
const list = (description: string) => Type.Array(Type.String(), { description })

/** buildDiscoveryDocument's members: endpoints Warden does not serve (and no override names) are left out. */
export const OidcConfigurationSchema = Type.Object({
  issuer: Type.String({ format: 'uri' }),
  authorization_endpoint: url('/oauth2/auth'),
  device_authorization_endpoint: url('Only when webfinger.oidc_discovery.device_authorization_url is set.'),
  registration_endpoint: url('webfinger.oidc_discovery.client_registration_url.'),
  token_endpoint: url('/oauth2/token'),
  jwks_uri: Type.String({ format: 'uri' }),
  subject_types_supported: list('public and/or pairwise.'),
  response_types_supported: list('Response types.'),
  claims_supported: list('Claims.'),
  grant_types_supported: list('Grant types.'),
  response_modes_supported: list('Response modes.'),
  userinfo_endpoint: url('/userinfo'),
  scopes_supported: list('Scopes.'),
  token_endpoint_auth_methods_supported: list('Client authentication methods.'),
  userinfo_signing_alg_values_supported: Type.Optional(list('none and the ID-token algorithm.')),
  id_token_signing_alg_values_supported: list('The ID-token signing algorithm.'),
  id_token_signed_response_alg: list('The ID-token signing algorithm.'),
  userinfo_signed_response_alg: Type.Optional(list('The ID-token signing algorithm.')),
  request_parameter_supported: Type.Boolean(),
  request_uri_parameter_supported: Type.Boolean(),
  require_request_uri_registration: Type.Boolean(),
  claims_parameter_supported: Type.Boolean(),
  revocation_endpoint: url('/oauth2/revoke'),
  backchannel_logout_supported: Type.Boolean(),
  backchannel_logout_session_supported: Type.Boolean(),
  frontchannel_logout_supported: Type.Boolean(),
  frontchannel_logout_session_supported: Type.Boolean(),
  end_session_endpoint: url('/oauth2/sessions/logout'),
  request_object_signing_alg_values_supported: list('Request object algorithms.'),
  code_challenge_methods_supported: list('PKCE methods.'),
  credentials_endpoint_draft_00: url('Only when verifiable credentials are served.'),
  credentials_supported_draft_00: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true })))
}, { $id: 'oidcConfiguration' })

const claim = (description: string) => Type.Optional(Type.String({ description }))

/** `sub` plus the claims the consent app put in session.id_token (OIDC Core §5.1 names shown). */
export const OidcUserInfoSchema = Type.Object({
  sub: Type.String(),
  name: claim('End-user name.'),
  given_name: claim(''),
  family_name: claim(''),
  middle_name: claim(''),
  nickname: claim(''),
  preferred_username: claim(''),
  profile: claim(''),
  picture: claim(''),
  website: claim(''),
  email: claim(''),
  email_verified: Type.Optional(Type.Boolean()),
  gender: claim(''),
  birthdate: claim(''),
  zoneinfo: claim(''),
  locale: claim(''),
  phone_number: claim(''),
  phone_number_verified: Type.Optional(Type.Boolean()),
  updated_at: Type.Optional(Type.Integer())
}, { $id: 'oidcUserInfo', additionalProperties: true })

const userinfo: Readonly<Record<string, OperationResponse>> = {
  200: { description: 'The claims (application/jwt when the client has userinfo_signed_response_alg).', schema: OidcUserInfoSchema }
}
const bearer = { name: 'Authorization', in: 'header', description: 'Bearer access token (or access_token in the form/query, RFC 6750 §2).' } as const
const logoutResponses: Readonly<Record<string, OperationResponse>> = {
  302: { description: 'To the logout UI, or to post_logout_redirect_uri.', headers: { location: 'Where the browser goes next.' } },
  303: { description: 'Redirect after a form POST.', headers: { location: 'Where the browser goes next.' } }
}
const form = 'application/x-www-form-urlencoded'

export const oidcOperations: readonly OpenApiOperation[] = [
  operation({
    operationId: 'discoverOidcConfiguration',
    method: 'get',
    path: '/.well-known/openid-configuration',
    listeners: ['public'],
    summary: 'OpenID Connect Discovery',
    description: 'Answers 304 to a matching If-None-Match.',
    tags: ['oidc'],
    responses: { 200: { description: 'The discovery document.', schema: OidcConfigurationSchema } }
  }),
  operation({
    operationId: 'discoverOAuth2AuthorizationServerMetadata',
    method: 'get',
    path: '/.well-known/oauth-authorization-server',
    listeners: ['public'],
    summary: 'OAuth 2.0 Authorization Server Metadata (RFC 8414)',
    description: 'The same document as /.well-known/openid-configuration (Hydra serves it outside its spec).',
    tags: ['oidc'],
    isWardenExtension: true,
    responses: { 200: { description: 'The discovery document.', schema: OidcConfigurationSchema } }
  }),
  operation({
    operationId: 'getOidcUserInfo',
    method: 'get',
    path: '/userinfo',
    listeners: ['public'],
    summary: 'OpenID Connect Userinfo',
    tags: ['oidc'],
    parameters: [bearer],
    responses: userinfo
  }),
  operation({
    operationId: 'getOidcUserInfoWithPost',
    method: 'post',
    path: '/userinfo',
    listeners: ['public'],
    summary: 'OpenID Connect Userinfo (POST)',
    description: 'OIDC Core §5.3.1 allows POST; the token may also be the access_token form field.',
    tags: ['oidc'],
    isWardenExtension: true,
    parameters: [bearer],
    requestBody: { contentType: form, schema: Type.Object({ access_token: Type.Optional(Type.String()) }), required: false },
    responses: userinfo
  }),
  operation({
    operationId: 'revokeOidcSession',
    method: 'get',
    path: '/oauth2/sessions/logout',
    listeners: ['public'],
    summary: 'OpenID Connect Front- and Back-channel Enabled Logout',
    description: 'RP-initiated logout (id_token_hint, post_logout_redirect_uri, state) or a plain browser logout.',
    tags: ['oidc'],
    responses: logoutResponses
  }),
  operation({
    operationId: 'revokeOidcSessionWithForm',
    method: 'post',
    path: '/oauth2/sessions/logout',
    listeners: ['public'],
    summary: 'RP-initiated logout (form POST)',
    description: 'As GET, with the parameters in an application/x-www-form-urlencoded body.',
    tags: ['oidc'],
    isWardenExtension: true,
    requestBody: { contentType: form, schema: Type.Record(Type.String(), Type.String()), required: false },
    responses: logoutResponses
  })
]
