// Wire form of the OAuth 2.0 client (Hydra's `oAuth2Client` JSON): TypeBox schemas and the snake_case ⇄ camelCase mappers.
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { badRequest } from '../errors/catalogue.js'
import { LIFESPAN_KEYS, emptyDraft, type ClientDraft, type LifespanKey, type LifespansMs, type OAuth2Client } from './client.js'
import { LIFESPAN_PATTERN, formatGoDurationNs, msToNs, nsToMs, parseGoDurationNs } from './go-duration.js'

// Go's decoder leaves a field at its zero value when the JSON holds null, so every field accepts null.
const str = Type.Optional(Type.Union([Type.String(), Type.Null()]))
const strs = Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()]))
const bool = Type.Optional(Type.Union([Type.Boolean(), Type.Null()]))
const lifespan = Type.Optional(Type.Union([Type.String({ pattern: LIFESPAN_PATTERN }), Type.Null()]))

/** `lifespanKey` (camelCase) → wire name, e.g. authorizationCodeGrantAccessToken → authorization_code_grant_access_token_lifespan. */
export function lifespanWireName (key: LifespanKey): string {
  return `${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_lifespan`
}

const lifespanProperties = Object.fromEntries(LIFESPAN_KEYS.map((key) => [lifespanWireName(key), lifespan]))

export const JsonWebKeySetWire = Type.Object({
  keys: Type.Optional(Type.Array(Type.Object({ kty: Type.Optional(Type.String()) }, { additionalProperties: true })))
}, { additionalProperties: true })

export const OAuth2ClientWire = Type.Object({
  client_id: str,
  client_name: str,
  client_secret: str,
  redirect_uris: strs,
  grant_types: strs,
  response_types: strs,
  scope: str,
  audience: strs,
  owner: str,
  policy_uri: str,
  allowed_cors_origins: strs,
  tos_uri: str,
  client_uri: str,
  logo_uri: str,
  contacts: strs,
  client_secret_expires_at: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  subject_type: str,
  sector_identifier_uri: str,
  jwks_uri: str,
  jwks: Type.Optional(Type.Union([JsonWebKeySetWire, Type.Null()])),
  token_endpoint_auth_method: str,
  token_endpoint_auth_signing_alg: str,
  request_uris: strs,
  request_object_signing_alg: str,
  userinfo_signed_response_alg: str,
  created_at: str,
  updated_at: str,
  frontchannel_logout_uri: str,
  frontchannel_logout_session_required: bool,
  post_logout_redirect_uris: strs,
  backchannel_logout_uri: str,
  backchannel_logout_session_required: bool,
  metadata: Type.Optional(Type.Unknown()),
  registration_access_token: str,
  registration_client_uri: str,
  access_token_strategy: str,
  skip_consent: bool,
  skip_logout_consent: bool,
  ...lifespanProperties
}, { additionalProperties: true, $id: 'oAuth2Client' })

export type OAuth2ClientWire = Static<typeof OAuth2ClientWire> & Record<string, unknown>

export const LifespansWire = Type.Object(lifespanProperties, { additionalProperties: true, $id: 'oAuth2ClientTokenLifespans' })
export type LifespansWire = Record<string, string | null | undefined>

export const JsonPatchWire = Type.Array(Type.Object({
  op: Type.String(),
  path: Type.String(),
  value: Type.Optional(Type.Unknown()),
  from: Type.Optional(Type.String())
}, { additionalProperties: true }), { $id: 'jsonPatchDocument' })
export type JsonPatchWire = Static<typeof JsonPatchWire>

const checkers = new WeakMap<TSchema, ReturnType<typeof TypeCompiler.Compile>>()

/** Checks `value` against `schema`; a mismatch is Hydra's 400 naming the offending JSON pointer. */
export function assertWire<T extends TSchema> (schema: T, value: unknown, what = 'the request body'): asserts value is Static<T> {
  let checker = checkers.get(schema)
  if (checker === undefined) {
    checker = TypeCompiler.Compile(schema)
    checkers.set(schema, checker)
  }
  if (checker.Check(value)) return
  const first = checker.Errors(value).First()
  const where = first === undefined || first.path === '' ? '' : ` at ${first.path}`
  throw badRequest(`Unable to decode ${what}${where}: ${first === undefined ? 'unexpected value' : describeExpected(first.schema, first.message)}.`)
}

// TypeBox says "Expected union value" for nullable fields; name the accepted types instead.
function describeExpected (schema: TSchema, message: string): string {
  const options = (schema as { anyOf?: TSchema[] }).anyOf
  if (options === undefined) return message
  const names = options.map((option) => (option as { type?: string }).type ?? 'value')
  return `expected ${names.join(' or ')}`
}

function lifespansFromWireObject (body: Record<string, unknown>): LifespansMs {
  const result = {} as LifespansMs
  for (const key of LIFESPAN_KEYS) {
    const text = body[lifespanWireName(key)]
    if (typeof text !== 'string') { result[key] = null; continue }
    const ns = parseGoDurationNs(text)
    if (ns === undefined) throw badRequest(`Unable to decode the request body: ${lifespanWireName(key)} "${text}" is not a duration such as "1h" or "30m".`)
    result[key] = nsToMs(ns)
  }
  return result
}

export function lifespansFromWire (body: LifespansWire): LifespansMs {
  return lifespansFromWireObject(body)
}

const nz = <T> (value: T | null | undefined, zero: T): T => value ?? zero

/** A submitted client body as a draft; absent and null fields take Go's zero values. */
export function clientDraftFromWire (body: OAuth2ClientWire): ClientDraft {
  const zero = emptyDraft()
  return {
    id: nz(body.client_id, ''),
    name: nz(body.client_name, ''),
    secret: nz(body.client_secret, ''),
    redirectUris: body.redirect_uris ?? null,
    grantTypes: body.grant_types ?? null,
    responseTypes: body.response_types ?? null,
    scope: nz(body.scope, ''),
    audience: body.audience ?? null,
    owner: nz(body.owner, ''),
    policyUri: nz(body.policy_uri, ''),
    allowedCorsOrigins: body.allowed_cors_origins ?? null,
    tosUri: nz(body.tos_uri, ''),
    clientUri: nz(body.client_uri, ''),
    logoUri: nz(body.logo_uri, ''),
    contacts: body.contacts ?? null,
    secretExpiresAt: nz(body.client_secret_expires_at, 0),
    subjectType: nz(body.subject_type, ''),
    sectorIdentifierUri: nz(body.sector_identifier_uri, ''),
    jwksUri: nz(body.jwks_uri, ''),
    // `{}` decodes to "no key set" in Hydra; only an object with `keys` is a set.
    jwks: body.jwks?.keys === undefined ? null : { keys: body.jwks.keys },
    tokenEndpointAuthMethod: nz(body.token_endpoint_auth_method, ''),
    tokenEndpointAuthSigningAlg: nz(body.token_endpoint_auth_signing_alg, ''),
    requestUris: body.request_uris ?? null,
    requestObjectSigningAlg: nz(body.request_object_signing_alg, ''),
    userinfoSignedResponseAlg: nz(body.userinfo_signed_response_alg, ''),
    frontchannelLogoutUri: nz(body.frontchannel_logout_uri, ''),
    frontchannelLogoutSessionRequired: nz(body.frontchannel_logout_session_required, false),
    postLogoutRedirectUris: body.post_logout_redirect_uris ?? null,
    backchannelLogoutUri: nz(body.backchannel_logout_uri, ''),
    backchannelLogoutSessionRequired: nz(body.backchannel_logout_session_required, false),
    metadata: body.metadata === null ? undefined : body.metadata,
    accessTokenStrategy: nz(body.access_token_strategy, ''),
    skipConsent: nz(body.skip_consent, false),
    skipLogoutConsent: body.skip_logout_consent ?? zero.skipLogoutConsent,
    lifespansMs: lifespansFromWireObject(body)
  }
}

export interface WireExtras {
  /** Cleartext (or, for JSON Patch, the stored hash) to show as `client_secret`; omitted when empty. */
  secret?: string
  registrationAccessToken?: string
  registrationClientUri?: string
  /** DCR responses hide `metadata` (hydra-api.md §2.6). */
  hideMetadata?: boolean
}

// Go renders time.Time as RFC 3339 without fractional zeros; times are stored rounded to the second.
function rfc3339 (date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z')
}

function omitEmpty (target: Record<string, unknown>, name: string, value: string | boolean | string[] | null): void {
  if (value === '' || value === false || value === null || (Array.isArray(value) && value.length === 0)) return
  target[name] = value
}

/** The client as Hydra renders it: its field order, and `omitempty` fields left out when empty. */
export function clientToWire (client: OAuth2Client, extras: WireExtras = {}): OAuth2ClientWire {
  const out: Record<string, unknown> = { client_id: client.id, client_name: client.name }
  omitEmpty(out, 'client_secret', extras.secret ?? '')
  Object.assign(out, {
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    response_types: client.responseTypes,
    scope: client.scope,
    audience: client.audience,
    owner: client.owner,
    policy_uri: client.policyUri,
    allowed_cors_origins: client.allowedCorsOrigins,
    tos_uri: client.tosUri,
    client_uri: client.clientUri,
    logo_uri: client.logoUri,
    contacts: client.contacts,
    client_secret_expires_at: client.secretExpiresAt,
    subject_type: client.subjectType
  })
  omitEmpty(out, 'sector_identifier_uri', client.sectorIdentifierUri)
  omitEmpty(out, 'jwks_uri', client.jwksUri)
  out.jwks = client.jwks === null ? {} : { keys: client.jwks.keys }
  omitEmpty(out, 'token_endpoint_auth_method', client.tokenEndpointAuthMethod)
  omitEmpty(out, 'token_endpoint_auth_signing_alg', client.tokenEndpointAuthSigningAlg)
  omitEmpty(out, 'request_uris', client.requestUris)
  omitEmpty(out, 'request_object_signing_alg', client.requestObjectSigningAlg)
  omitEmpty(out, 'userinfo_signed_response_alg', client.userinfoSignedResponseAlg)
  out.created_at = rfc3339(client.createdAt)
  out.updated_at = rfc3339(client.updatedAt)
  omitEmpty(out, 'frontchannel_logout_uri', client.frontchannelLogoutUri)
  omitEmpty(out, 'frontchannel_logout_session_required', client.frontchannelLogoutSessionRequired)
  omitEmpty(out, 'post_logout_redirect_uris', client.postLogoutRedirectUris)
  omitEmpty(out, 'backchannel_logout_uri', client.backchannelLogoutUri)
  omitEmpty(out, 'backchannel_logout_session_required', client.backchannelLogoutSessionRequired)
  if (extras.hideMetadata !== true) out.metadata = client.metadata === undefined ? {} : client.metadata
  omitEmpty(out, 'registration_access_token', extras.registrationAccessToken ?? '')
  omitEmpty(out, 'registration_client_uri', extras.registrationClientUri ?? '')
  omitEmpty(out, 'access_token_strategy', client.accessTokenStrategy)
  out.skip_consent = client.skipConsent
  out.skip_logout_consent = client.skipLogoutConsent
  for (const key of LIFESPAN_KEYS) {
    const ms = client.lifespansMs[key]
    out[lifespanWireName(key)] = ms === null ? null : formatGoDurationNs(msToNs(ms))
  }
  return out as OAuth2ClientWire
}
