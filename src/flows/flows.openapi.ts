// OpenAPI records of the login/consent/logout admin API, sessions, /oauth2/auth and the fallback pages.
import { Type, type TSchema } from '@sinclair/typebox'
import { OAuth2ClientWire } from '../clients/client.wire.js'
import { operation, queryParam, type OpenApiOperation, type OperationResponse } from '../http/openapi.js'
import { AcceptConsentWire, AcceptLoginWire, RejectWire } from './flows.wire.js'

// The request bodies are the schemas the routes check; only a component name is added here.
const named = <T extends TSchema> (schema: T, $id: string): T => ({ ...schema, $id })

const Strings = Type.Array(Type.String())
const Claims = Type.Record(Type.String(), Type.Unknown())
const NullableClient = Type.Union([OAuth2ClientWire, Type.Null()])

export const OidcContextSchema = Type.Object({
  acr_values: Type.Optional(Strings),
  display: Type.Optional(Type.String()),
  id_token_hint_claims: Type.Optional(Claims),
  login_hint: Type.Optional(Type.String()),
  ui_locales: Type.Optional(Strings)
}, { $id: 'oAuth2ConsentRequestOpenIDConnectContext' })

export const LoginRequestSchema = Type.Object({
  challenge: Type.String(),
  requested_scope: Strings,
  requested_access_token_audience: Strings,
  skip: Type.Boolean(),
  subject: Type.String(),
  oidc_context: OidcContextSchema,
  client: NullableClient,
  request_url: Type.String(),
  session_id: Type.String()
}, { $id: 'oAuth2LoginRequest' })

const consentRequestProperties = {
  challenge: Type.String(),
  consent_request_id: Type.String(),
  requested_scope: Strings,
  requested_access_token_audience: Strings,
  skip: Type.Boolean(),
  subject: Type.String(),
  oidc_context: OidcContextSchema,
  client: NullableClient,
  request_url: Type.String(),
  login_challenge: Type.String(),
  login_session_id: Type.String(),
  acr: Type.String(),
  amr: Strings,
  context: Type.Unknown()
}
export const ConsentRequestSchema = Type.Object(consentRequestProperties, { $id: 'oAuth2ConsentRequest' })

export const ConsentSessionSchema = Type.Object({
  consent_request_id: Type.String(),
  grant_scope: Strings,
  grant_access_token_audience: Strings,
  session: Type.Object({ access_token: Claims, id_token: Claims }, { $id: 'acceptOAuth2ConsentRequestSession' }),
  remember: Type.Boolean(),
  remember_for: Type.Integer(),
  handled_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  context: Type.Unknown(),
  consent_request: ConsentRequestSchema
}, { $id: 'oAuth2ConsentSession' })

export const LogoutRequestSchema = Type.Object({
  challenge: Type.String(),
  subject: Type.String(),
  sid: Type.String(),
  request_url: Type.String(),
  rp_initiated: Type.Boolean(),
  expires_at: Type.String({ format: 'date-time' }),
  requested_at: Type.String({ format: 'date-time' }),
  client: NullableClient
}, { $id: 'oAuth2LogoutRequest' })

export const RedirectToSchema = Type.Object({
  redirect_to: Type.String({ description: 'Where to send the browser next.' })
}, { $id: 'oAuth2RedirectTo' })

const redirect: OperationResponse = { description: 'Send the browser to redirect_to.', schema: RedirectToSchema }
const json = 'application/json'
const REQUESTS = '/admin/oauth2/auth/requests'
const SESSIONS = '/admin/oauth2/auth/sessions'

const challenge = (kind: string) => [
  queryParam(`${kind}_challenge`, `The ${kind} challenge.`, { required: true }),
  queryParam('challenge', `Alias of ${kind}_challenge.`)
]

const get = (kind: 'login' | 'consent' | 'logout', operationId: string, summary: string, schema: TSchema): OpenApiOperation => operation({
  operationId, method: 'get', path: `${REQUESTS}/${kind}`, listeners: ['admin'], summary, tags: ['oAuth2'],
  parameters: challenge(kind),
  responses: {
    200: { description: `The ${kind} request.`, schema },
    ...(kind === 'logout' ? {} : { 410: { description: `The ${kind} request was already handled: its flow ended (the consent verifier was redeemed). Send the browser to redirect_to, the original authorization request, to start over.`, schema: RedirectToSchema } })
  }
})

const answer = (kind: 'login' | 'consent' | 'logout', verb: 'accept' | 'reject', operationId: string, summary: string, body: TSchema | undefined, response: OperationResponse): OpenApiOperation => operation({
  operationId, method: 'put', path: `${REQUESTS}/${kind}/${verb}`, listeners: ['admin'], summary, tags: ['oAuth2'],
  parameters: challenge(kind),
  ...(body === undefined ? {} : { requestBody: { contentType: json, schema: body, required: kind === 'login' && verb === 'accept' } }),
  responses: { 200: response }
})

const Reject = named(RejectWire, 'rejectOAuth2Request')
const page = (description: string): OperationResponse => ({ description, schema: Type.String(), contentType: 'text/html' })
const browser: Readonly<Record<string, OperationResponse>> = {
  302: { description: 'Redirect (login, consent, logout or client redirect URI).', headers: { location: 'Where the browser goes next.' } },
  303: { description: 'Redirect after a form POST.', headers: { location: 'Where the browser goes next.' } },
  200: page('response_mode=form_post page, or an error page.')
}

export const flowsOperations: readonly OpenApiOperation[] = [
  get('login', 'getOAuth2LoginRequest', 'Get OAuth 2.0 Login Request', LoginRequestSchema),
  answer('login', 'accept', 'acceptOAuth2LoginRequest', 'Accept OAuth 2.0 Login Request', named(AcceptLoginWire, 'acceptOAuth2LoginRequest'), redirect),
  answer('login', 'reject', 'rejectOAuth2LoginRequest', 'Reject OAuth 2.0 Login Request', Reject, redirect),
  get('consent', 'getOAuth2ConsentRequest', 'Get OAuth 2.0 Consent Request', ConsentRequestSchema),
  answer('consent', 'accept', 'acceptOAuth2ConsentRequest', 'Accept OAuth 2.0 Consent Request', named(AcceptConsentWire, 'acceptOAuth2ConsentRequest'), redirect),
  answer('consent', 'reject', 'rejectOAuth2ConsentRequest', 'Reject OAuth 2.0 Consent Request', Reject, redirect),
  get('logout', 'getOAuth2LogoutRequest', 'Get OAuth 2.0 Session Logout Request', LogoutRequestSchema),
  answer('logout', 'accept', 'acceptOAuth2LogoutRequest', 'Accept OAuth 2.0 Session Logout Request', undefined, redirect),
  { ...answer('logout', 'reject', 'rejectOAuth2LogoutRequest', 'Reject OAuth 2.0 Session Logout Request', undefined, redirect), responses: { 204: { description: 'Rejected.' } } },
  operation({
    operationId: 'listOAuth2ConsentSessions',
    method: 'get',
    path: `${SESSIONS}/consent`,
    listeners: ['admin'],
    summary: 'List OAuth 2.0 Consent Sessions of a Subject',
    description: 'Keyset pagination: follow the `Link` header.',
    tags: ['oAuth2'],
    parameters: [
      queryParam('page_size', 'Items per page.'),
      queryParam('page_token', 'Next page token from the Link header.'),
      queryParam('subject', 'The subject.', { required: true }),
      queryParam('login_session_id', 'Only sessions of this login session.')
    ],
    responses: { 200: { description: 'The consent sessions.', schema: Type.Array(ConsentSessionSchema), headers: { link: 'RFC 8288 pagination links.' } } }
  }),
  operation({
    operationId: 'revokeOAuth2ConsentSessions',
    method: 'delete',
    path: `${SESSIONS}/consent`,
    listeners: ['admin'],
    summary: 'Revoke OAuth 2.0 Consent Sessions of a Subject',
    tags: ['oAuth2'],
    parameters: [
      queryParam('subject', 'The subject (or consent_request_id).'),
      queryParam('client', 'Only sessions of this client.'),
      queryParam('consent_request_id', 'Only this consent request.'),
      queryParam('all', 'true: every client of the subject.', { schema: Type.Boolean() })
    ],
    responses: { 204: { description: 'Revoked.' } }
  }),
  operation({
    operationId: 'revokeOAuth2LoginSessions',
    method: 'delete',
    path: `${SESSIONS}/login`,
    listeners: ['admin'],
    summary: 'Revokes OAuth 2.0 Login Sessions by either a Subject or a SessionID',
    tags: ['oAuth2'],
    parameters: [queryParam('subject', 'The subject.'), queryParam('sid', 'The login session id.')],
    responses: { 204: { description: 'Revoked.' } }
  }),
  operation({
    operationId: 'oAuth2Authorize',
    method: 'get',
    path: '/oauth2/auth',
    listeners: ['public'],
    summary: 'OAuth 2.0 Authorize Endpoint',
    description: 'RFC 6749 §4.1 with OpenID Connect parameters; answers with redirects, not JSON.',
    tags: ['oAuth2'],
    responses: browser
  }),
  operation({
    operationId: 'oAuth2AuthorizeWithForm',
    method: 'post',
    path: '/oauth2/auth',
    listeners: ['public'],
    summary: 'OAuth 2.0 Authorize Endpoint (form POST)',
    description: 'As GET, with the parameters (or some of them) in an application/x-www-form-urlencoded body.',
    tags: ['oAuth2'],
    isWardenExtension: true,
    requestBody: { contentType: 'application/x-www-form-urlencoded', schema: Type.Record(Type.String(), Type.String()), required: false },
    responses: browser
  }),
  ...(['error', 'login', 'consent', 'logout'] as const).map((kind) => operation({
    operationId: `fallback${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)}`,
    method: 'get',
    path: `/oauth2/fallbacks/${kind}`,
    listeners: ['public'],
    summary: `Built-in ${kind} page`,
    description: `Shown while urls.${kind} is not configured.`,
    tags: ['oAuth2'],
    isWardenExtension: true,
    responses: { 500: page('The page (status 500, as Hydra).') }
  })),
  operation({
    operationId: 'fallbackLogoutCallback',
    method: 'get',
    path: '/oauth2/fallbacks/logout/callback',
    listeners: ['public'],
    summary: 'Built-in page after logout',
    description: 'Shown while urls.post_logout_redirect is not configured.',
    tags: ['oAuth2'],
    isWardenExtension: true,
    responses: { 200: page('The page.') }
  })
]
