// OpenAPI records of the token endpoints (token.public-routes.ts, introspection.admin-routes.ts).
import { Type, type TSchema } from '@sinclair/typebox'
import { operation, queryParam, type OpenApiOperation } from '../http/openapi.js'

const form = 'application/x-www-form-urlencoded'
const text = (description: string) => Type.Optional(Type.String({ description }))
const clientAuth = {
  client_id: text('Client id (client_secret_post, none), when not in the Authorization header.'),
  client_secret: text('client_secret_post.'),
  client_assertion: text('private_key_jwt (RFC 7523).'),
  client_assertion_type: text('urn:ietf:params:oauth:client-assertion-type:jwt-bearer.')
}
const basicAuth = { name: 'Authorization', in: 'header', description: 'Basic client credentials (client_secret_basic).' } as const

export const TokenRequestSchema = Type.Object({
  grant_type: Type.String({ description: 'authorization_code, client_credentials or refresh_token.' }),
  code: text('authorization_code grant.'),
  redirect_uri: text('authorization_code grant.'),
  code_verifier: text('PKCE (RFC 7636).'),
  refresh_token: text('refresh_token grant.'),
  scope: text('Space-separated scopes.'),
  audience: text('Space-separated audiences; may repeat.'),
  ...clientAuth
}, { $id: 'oAuth2TokenExchangeRequest', additionalProperties: true })

export const TokenResponseSchema = Type.Object({
  access_token: Type.String(),
  expires_in: Type.Integer({ description: 'Seconds.' }),
  id_token: Type.Optional(Type.String({ description: 'With the openid scope.' })),
  refresh_token: Type.Optional(Type.String({ description: 'With the offline/offline_access scope.' })),
  scope: Type.String(),
  token_type: Type.Literal('bearer')
}, { $id: 'oAuth2TokenExchange' })

export const IntrospectionRequestSchema = Type.Object({
  token: Type.String(),
  scope: text('Space-separated scopes the token must have to be active.'),
  token_type_hint: text('access_token or refresh_token: which lookup goes first.')
}, { $id: 'introspectOAuth2TokenRequest', additionalProperties: true })

export const IntrospectionSchema = Type.Object({
  active: Type.Boolean(),
  scope: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  sub: Type.Optional(Type.String()),
  obfuscated_subject: Type.Optional(Type.String()),
  exp: Type.Optional(Type.Integer()),
  iat: Type.Optional(Type.Integer()),
  nbf: Type.Optional(Type.Integer()),
  aud: Type.Optional(Type.Array(Type.String())),
  iss: Type.Optional(Type.String()),
  token_type: Type.Optional(Type.String()),
  token_use: Type.Optional(Type.String({ description: 'access_token or refresh_token.' })),
  ext: Type.Optional(Type.Record(Type.String(), Type.Unknown()))
}, { $id: 'introspectedOAuth2Token' })

export const RevocationRequestSchema = Type.Object({
  token: Type.String(),
  token_type_hint: text('access_token or refresh_token.'),
  ...clientAuth
}, { $id: 'revokeOAuth2TokenRequest', additionalProperties: true })

const FlushRequestSchema: TSchema = Type.Object({
  notAfter: Type.Optional(Type.String({ format: 'date-time', description: 'Delete tokens that expired before this time (default: now).' }))
}, { $id: 'flushInactiveOAuth2TokensRequest' })

export const tokensOperations: readonly OpenApiOperation[] = [
  operation({
    operationId: 'oauth2TokenExchange',
    method: 'post',
    path: '/oauth2/token',
    listeners: ['public'],
    summary: 'The OAuth 2.0 Token Endpoint',
    tags: ['oAuth2'],
    parameters: [basicAuth],
    requestBody: { contentType: form, schema: TokenRequestSchema },
    responses: { 200: { description: 'The tokens.', schema: TokenResponseSchema } }
  }),
  operation({
    operationId: 'revokeOAuth2Token',
    method: 'post',
    path: '/oauth2/revoke',
    listeners: ['public'],
    summary: 'Revoke OAuth 2.0 Access or Refresh Token',
    description: 'RFC 7009: 200 with an empty body, also for unknown tokens.',
    tags: ['oAuth2'],
    parameters: [basicAuth],
    requestBody: { contentType: form, schema: RevocationRequestSchema },
    responses: { 200: { description: 'Revoked (or unknown).' } }
  }),
  operation({
    operationId: 'introspectOAuth2Token',
    method: 'post',
    path: '/admin/oauth2/introspect',
    listeners: ['admin'],
    summary: 'Introspect OAuth2 Access and Refresh Tokens',
    tags: ['oAuth2'],
    requestBody: { contentType: form, schema: IntrospectionRequestSchema },
    responses: { 200: { description: 'RFC 7662 §2.2 introspection response.', schema: IntrospectionSchema } }
  }),
  operation({
    operationId: 'deleteOAuth2Token',
    method: 'delete',
    path: '/admin/oauth2/tokens',
    listeners: ['admin'],
    summary: 'Delete OAuth 2.0 Access Tokens from specific OAuth 2.0 Client',
    tags: ['oAuth2'],
    parameters: [queryParam('client_id', 'OAuth 2.0 Client ID.', { required: true })],
    responses: { 204: { description: 'Deleted.' } }
  }),
  operation({
    operationId: 'flushInactiveOAuth2Tokens',
    method: 'post',
    path: '/admin/oauth2/flush',
    listeners: ['admin'],
    summary: 'Flush expired OAuth2 access and refresh tokens',
    description: 'Hydra v1\'s flush endpoint; `warden janitor` does the same from the command line.',
    tags: ['oAuth2'],
    isWardenExtension: true,
    requestBody: { contentType: 'application/json', schema: FlushRequestSchema, required: false },
    responses: { 204: { description: 'Flushed.' } }
  })
]
