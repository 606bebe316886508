// Client metadata validation and defaulting, in Hydra's order (hydra-api.md §2.3); DCR adds its checks first.
import { createPublicKey, type JsonWebKey } from 'node:crypto'
import { OAuth2Error } from '../errors/oauth2-error.js'
import { badRequest, invalidClientMetadata, invalidRedirectUri } from '../errors/catalogue.js'
import { TOKEN_ENDPOINT_AUTH_METHODS, type ClientDraft } from './client.js'

export interface ClientValidationOptions {
  /** `oidc.dynamic_client_registration.default_scope`, used when a client names no scope. */
  defaultScope: readonly string[]
  /** `oidc.subject_identifiers.supported_types`. */
  subjectTypesSupported: readonly string[]
  /** Fetches a `sector_identifier_uri` document and returns its parsed JSON. */
  fetchSectorIdentifier: (url: string) => Promise<unknown>
  /** Set when `clients.http.disallow_private_ip_ranges` is on: a message when a URL points at a private address. */
  checkUrls?: (fields: Record<string, string>) => Promise<string | undefined>
}

const AUTH_SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']
const SECTOR_DOCUMENT_MAX_BYTES = 5 << 20

/** Go's url.ParseRequestURI: an absolute URI or an absolute path, without whitespace or broken escapes. */
export function parseRequestUri (text: string): URL | undefined {
  if (text === '' || /[\u0000-\u0020\u007f]/.test(text) || /%(?![0-9a-fA-F]{2})/.test(text)) return undefined
  try {
    if (text.startsWith('/')) return new URL(text, 'http://path.invalid')
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text)) return undefined
    return new URL(text)
  } catch {
    return undefined
  }
}

const schemeOf = (url: URL): string => url.protocol.slice(0, -1)

function checkAuthMethod (draft: ClientDraft): void {
  if (draft.tokenEndpointAuthMethod === '') {
    draft.tokenEndpointAuthMethod = 'client_secret_basic'
    return
  }
  if (!TOKEN_ENDPOINT_AUTH_METHODS.includes(draft.tokenEndpointAuthMethod)) {
    throw invalidClientMetadata(`Field token_endpoint_auth_method must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}.`)
  }
  if (draft.tokenEndpointAuthMethod !== 'private_key_jwt') return
  if (draft.jwksUri === '' && draft.jwks === null) {
    throw invalidClientMetadata("When token_endpoint_auth_method is 'private_key_jwt', either jwks or jwks_uri must be set.")
  }
  if (draft.tokenEndpointAuthSigningAlg !== '' && !AUTH_SIGNING_ALGS.includes(draft.tokenEndpointAuthSigningAlg)) {
    throw invalidClientMetadata('Only RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 and ES512 are supported as algorithms for private key authentication.')
  }
}

/** A client key set may hold public keys only: the server must never learn a client's private key. */
function checkJwks (draft: ClientDraft): void {
  if (draft.jwksUri !== '' && draft.jwks !== null) {
    throw invalidClientMetadata('Fields jwks and jwks_uri can not both be set, you must choose one.')
  }
  for (const key of draft.jwks?.keys ?? []) {
    if (PRIVATE_JWK_MEMBERS.some((member) => member in key)) {
      throw invalidClientMetadata('Invalid JSON web key in set: the set must contain public keys only.')
    }
    try {
      createPublicKey({ key: key as JsonWebKey, format: 'jwk' })
    } catch {
      throw invalidClientMetadata('Invalid JSON web key in set.')
    }
  }
}

async function checkPrivateIps (draft: ClientDraft, checkUrls: NonNullable<ClientValidationOptions['checkUrls']>): Promise<void> {
  const fields: Record<string, string> = {
    jwks_uri: draft.jwksUri,
    backchannel_logout_uri: draft.backchannelLogoutUri,
    sector_identifier_uri: draft.sectorIdentifierUri
  }
  for (const [i, uri] of (draft.requestUris ?? []).entries()) fields[`request_uris.${i}`] = uri
  const problem = await checkUrls(fields)
  if (problem !== undefined) throw invalidClientMetadata(`Client IP address is not allowed: ${problem}`)
}

function checkDocumentUris (draft: ClientDraft): void {
  const fields: Array<[string, string]> = [['tos_uri', draft.tosUri], ['policy_uri', draft.policyUri], ['logo_uri', draft.logoUri], ['client_uri', draft.clientUri]]
  for (const [field, uri] of fields) {
    if (uri === '') continue
    const url = parseRequestUri(uri)
    if (url === undefined || uri.startsWith('/')) throw invalidClientMetadata(`Field ${field} must be a valid URI.`)
    if (!['http', 'https'].includes(schemeOf(url))) throw invalidClientMetadata(`${uri} must use https:// or http:// as HTTP scheme for field ${field}.`)
  }
}

/** Origins are scheme://host[:port]; a trailing slash is dropped, as Hydra does. */
function normaliseOrigins (origins: string[] | null): string[] | null {
  if (origins === null) return null
  return origins.map((origin) => {
    const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(origin)
      if (match === null || /[\u0000-\u0020\u007f]/.test(origin)) throw invalidClientMetadata(`Origin URL ${origin} from allowed_cors_origins could not be parsed.`)
    const scheme = (match[1] as string).toLowerCase()
    const authority = match[2] as string
    if (scheme !== 'http' && scheme !== 'https') throw invalidClientMetadata(`Origin URL ${origin} must use https:// or http:// as HTTP scheme.`)
    if (authority.includes('@')) throw invalidClientMetadata(`Origin URL ${origin} has HTTP user and/or password set which is not allowed.`)
    const path = (match[3] as string).replace(/\/+$/, '')
    if (path !== '' || (match[4] ?? '') !== '' || (match[5] ?? '') !== '') {
      throw invalidClientMetadata(`Origin URL ${origin} must have an empty path, query, and fragment but one of the parts is not empty.`)
    }
    return `${scheme}://${authority}`
  })
}

async function checkSectorIdentifier (draft: ClientDraft, options: ClientValidationOptions): Promise<void> {
  const location = parseRequestUri(draft.sectorIdentifierUri)
  if (location === undefined) throw invalidClientMetadata('Value of sector_identifier_uri could not be parsed.')
  if (schemeOf(location) !== 'https') throw invalidClientMetadata('Value sector_identifier_uri must be an HTTPS URL but it is not.')
  let document: unknown
  try {
    document = await options.fetchSectorIdentifier(draft.sectorIdentifierUri)
  } catch (error) {
    throw invalidClientMetadata('Unable to fetch the document at sector_identifier_uri.').withDebug(String(error))
  }
  if (!Array.isArray(document) || document.length === 0 || !document.every((item) => typeof item === 'string')) {
    throw invalidClientMetadata('The document at sector_identifier_uri must be a non-empty JSON array of redirect URIs.')
  }
  for (const redirect of draft.redirectUris ?? []) {
    if (!document.includes(redirect)) throw invalidClientMetadata(`Redirect URL "${redirect}" does not match values from sector_identifier_uri.`)
  }
}

function checkRedirects (draft: ClientDraft): URL[] {
  return (draft.redirectUris ?? []).map((uri) => {
    if (uri.includes('#')) throw invalidRedirectUri('Redirect URIs must not contain fragments (#).')
    const url = parseRequestUri(uri)
    if (url === undefined) throw invalidRedirectUri(`Unable to parse redirect URL: ${uri}`)
    return url
  })
}

function checkPostLogoutRedirects (draft: ClientDraft, redirects: URL[]): void {
  for (const uri of draft.postLogoutRedirectUris ?? []) {
    const url = parseRequestUri(uri)
    if (url === undefined) throw invalidClientMetadata(`Unable to parse post_logout_redirect_uri: ${uri}`)
    const sameOrigin = redirects.some((r) => r.protocol === url.protocol && r.hostname === url.hostname && r.port === url.port)
    if (!sameOrigin) {
      throw invalidClientMetadata(`post_logout_redirect_uri "${uri}" must match the domain, port, scheme of at least one of the registered redirect URIs but did not`)
    }
  }
}

/** Validates and fills defaults in place (Hydra's Validator.Validate). Throws OAuth2Error 400s. */
export async function validateClientDraft (draft: ClientDraft, options: ClientValidationOptions): Promise<void> {
  checkAuthMethod(draft)
  checkJwks(draft)
  if (options.checkUrls !== undefined) await checkPrivateIps(draft, options.checkUrls)
  checkDocumentUris(draft)
  if (draft.secret.length > 0 && draft.secret.length < 6) {
    throw invalidClientMetadata('Field client_secret must contain a secret that is at least 6 characters long.')
  }
  if (draft.scope === '') draft.scope = options.defaultScope.join(' ')
  draft.allowedCorsOrigins = normaliseOrigins(draft.allowedCorsOrigins)
  draft.secretExpiresAt = 0 // not supported, like Hydra
  if (draft.sectorIdentifierUri !== '') await checkSectorIdentifier(draft, options)
  if (draft.userinfoSignedResponseAlg === '') draft.userinfoSignedResponseAlg = 'none'
  if (draft.userinfoSignedResponseAlg !== 'none' && draft.userinfoSignedResponseAlg !== 'RS256') {
    throw invalidClientMetadata("Field userinfo_signed_response_alg can either be 'none' or 'RS256'.")
  }
  const redirects = checkRedirects(draft)
  const supported = options.subjectTypesSupported
  if (draft.subjectType === '') {
    draft.subjectType = supported.includes('public') ? 'public' : (supported[0] ?? 'public')
  } else if (!supported.includes(draft.subjectType)) {
    throw invalidClientMetadata(`Subject type ${draft.subjectType} is not supported by server, only [${supported.join(' ')}] are allowed.`)
  }
  checkPostLogoutRedirects(draft, redirects)
  if (draft.accessTokenStrategy !== '') {
    const strategy = draft.accessTokenStrategy.toLowerCase()
    if (strategy !== 'jwt' && strategy !== 'opaque') {
      throw invalidClientMetadata(`invalid access token strategy: expected "jwt" or "opaque", got "${draft.accessTokenStrategy}"`)
    }
    draft.accessTokenStrategy = strategy
  }
}

/** Extra rules for RFC 7591 registration, checked before the common ones (Hydra's ValidateDynamicRegistration). */
export async function validateDynamicClientDraft (draft: ClientDraft, options: ClientValidationOptions): Promise<void> {
  if (draft.metadata !== undefined) throw invalidClientMetadata('"metadata" cannot be set for dynamic client registration')
  if (draft.accessTokenStrategy !== '') throw badRequest('It is not allowed to choose your own access token strategy.')
  if (draft.skipConsent) throw dcrInvalidRequest('"skip_consent" cannot be set for dynamic client registration')
  if (draft.skipLogoutConsent === true) throw dcrInvalidRequest('"skip_logout_consent" cannot be set for dynamic client registration')
  await validateClientDraft(draft, options)
}

// Hydra replaces the whole description here (ErrInvalidRequest.WithDescription), so no standard text precedes it.
function dcrInvalidRequest (description: string): OAuth2Error {
  return new OAuth2Error({ error: 'invalid_request', statusCode: 400, description })
}

/** Default sector-identifier fetcher: HTTPS GET with a timeout and Hydra's 5 MiB body limit. */
export async function fetchSectorIdentifierDocument (url: string): Promise<unknown> {
  const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(30_000) })
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`)
  const body = await response.arrayBuffer()
  if (body.byteLength > SECTOR_DOCUMENT_MAX_BYTES) throw new Error(`the document at ${url} is larger than 5 MiB`)
  return JSON.parse(Buffer.from(body).toString('utf8')) as unknown
}
