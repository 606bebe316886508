// The OAuth 2.0 client (Hydra's `client.Client`): its domain shape, defaults and the pure rules other domains ask.

/** Per-grant token lifespans a client may override (hydra-api.md §2.2), in wire order. */
export const LIFESPAN_KEYS = [
  'authorizationCodeGrantAccessToken',
  'authorizationCodeGrantIdToken',
  'authorizationCodeGrantRefreshToken',
  'clientCredentialsGrantAccessToken',
  'implicitGrantAccessToken',
  'implicitGrantIdToken',
  'jwtBearerGrantAccessToken',
  'refreshTokenGrantIdToken',
  'refreshTokenGrantAccessToken',
  'refreshTokenGrantRefreshToken',
  'deviceAuthorizationGrantIdToken',
  'deviceAuthorizationGrantAccessToken',
  'deviceAuthorizationGrantRefreshToken'
] as const

export type LifespanKey = typeof LIFESPAN_KEYS[number]

/** Lifespans in milliseconds; null falls back to the global `ttl.*` value. */
export type LifespansMs = Record<LifespanKey, number | null>

export interface JsonWebKeySet {
  keys: Array<Record<string, unknown>>
}

export interface OAuth2Client {
  id: string
  name: string
  /** Encoded hash of the current secret ('' for clients without one); the cleartext is never kept. */
  secretHash: string
  /** Hashes of previous secrets that still authenticate, newest first (at most ROTATED_SECRETS_KEPT). */
  rotatedSecretHashes: string[]
  redirectUris: string[] | null
  grantTypes: string[] | null
  responseTypes: string[] | null
  /** Space separated. */
  scope: string
  audience: string[] | null
  owner: string
  policyUri: string
  allowedCorsOrigins: string[] | null
  tosUri: string
  clientUri: string
  logoUri: string
  contacts: string[] | null
  secretExpiresAt: number
  subjectType: string
  sectorIdentifierUri: string
  jwksUri: string
  /** null when the client registered no key set (renders as `{}`). */
  jwks: JsonWebKeySet | null
  tokenEndpointAuthMethod: string
  tokenEndpointAuthSigningAlg: string
  requestUris: string[] | null
  requestObjectSigningAlg: string
  userinfoSignedResponseAlg: string
  createdAt: Date
  updatedAt: Date
  frontchannelLogoutUri: string
  frontchannelLogoutSessionRequired: boolean
  postLogoutRedirectUris: string[] | null
  backchannelLogoutUri: string
  backchannelLogoutSessionRequired: boolean
  /** Arbitrary JSON; undefined when never set (stored as `{}`). */
  metadata: unknown
  /** HMAC signature of the registration access token; '' when none was issued. */
  registrationAccessTokenSignature: string
  /** '' uses the global `strategies.access_token`; otherwise 'jwt' or 'opaque'. */
  accessTokenStrategy: string
  skipConsent: boolean
  skipLogoutConsent: boolean | null
  lifespansMs: LifespansMs
}

/**
 * What a caller submits: every client field except the server-owned ones, plus the cleartext secret
 * ('' = none given).
 */
export type ClientDraft = Omit<OAuth2Client,
  'secretHash' | 'rotatedSecretHashes' | 'registrationAccessTokenSignature' | 'createdAt' | 'updatedAt'> & { secret: string }

export const ROTATED_SECRETS_KEPT = 5

/** Auth methods whose secret can be rotated (Hydra rejects rotation for the rest). */
export const SECRET_AUTH_METHODS: readonly string[] = ['client_secret_basic', 'client_secret_post']

export const TOKEN_ENDPOINT_AUTH_METHODS: readonly string[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']

export function emptyLifespans (): LifespansMs {
  return Object.fromEntries(LIFESPAN_KEYS.map((key) => [key, null])) as LifespansMs
}

/** A draft with every field at its zero value, as Go's decoder leaves an empty body. */
export function emptyDraft (): ClientDraft {
  return {
    id: '',
    name: '',
    secret: '',
    redirectUris: null,
    grantTypes: null,
    responseTypes: null,
    scope: '',
    audience: null,
    owner: '',
    policyUri: '',
    allowedCorsOrigins: null,
    tosUri: '',
    clientUri: '',
    logoUri: '',
    contacts: null,
    secretExpiresAt: 0,
    subjectType: '',
    sectorIdentifierUri: '',
    jwksUri: '',
    jwks: null,
    tokenEndpointAuthMethod: '',
    tokenEndpointAuthSigningAlg: '',
    requestUris: null,
    requestObjectSigningAlg: '',
    userinfoSignedResponseAlg: '',
    frontchannelLogoutUri: '',
    frontchannelLogoutSessionRequired: false,
    postLogoutRedirectUris: null,
    backchannelLogoutUri: '',
    backchannelLogoutSessionRequired: false,
    metadata: undefined,
    accessTokenStrategy: '',
    skipConsent: false,
    skipLogoutConsent: null,
    lifespansMs: emptyLifespans()
  }
}

// OIDC Registration §2: an omitted grant_types means authorization_code only, response_types means code only.
export function effectiveGrantTypes (client: Pick<OAuth2Client, 'grantTypes'>): string[] {
  return client.grantTypes === null || client.grantTypes.length === 0 ? ['authorization_code'] : client.grantTypes
}

export function effectiveResponseTypes (client: Pick<OAuth2Client, 'responseTypes'>): string[] {
  return client.responseTypes === null || client.responseTypes.length === 0 ? ['code'] : client.responseTypes
}

export function effectiveAuthMethod (client: Pick<OAuth2Client, 'tokenEndpointAuthMethod'>): string {
  return client.tokenEndpointAuthMethod === '' ? 'client_secret_basic' : client.tokenEndpointAuthMethod
}

export function effectiveAuthSigningAlg (client: Pick<OAuth2Client, 'tokenEndpointAuthSigningAlg'>): string {
  return client.tokenEndpointAuthSigningAlg === '' ? 'RS256' : client.tokenEndpointAuthSigningAlg
}

export function isPublicClient (client: Pick<OAuth2Client, 'tokenEndpointAuthMethod'>): boolean {
  return client.tokenEndpointAuthMethod === 'none'
}

export function clientScopes (client: Pick<OAuth2Client, 'scope'>): string[] {
  return client.scope.split(/\s+/).filter((scope) => scope !== '')
}

export function canRotateSecret (client: Pick<OAuth2Client, 'tokenEndpointAuthMethod'>): boolean {
  return SECRET_AUTH_METHODS.includes(effectiveAuthMethod(client))
}

export type LifespanGrant = 'authorization_code' | 'client_credentials' | 'implicit' | 'refresh_token'
  | 'urn:ietf:params:oauth:grant-type:jwt-bearer' | 'urn:ietf:params:oauth:grant-type:device_code'
export type LifespanToken = 'access_token' | 'id_token' | 'refresh_token'

const LIFESPAN_LOOKUP: Record<LifespanGrant, Partial<Record<LifespanToken, LifespanKey>>> = {
  authorization_code: { access_token: 'authorizationCodeGrantAccessToken', id_token: 'authorizationCodeGrantIdToken', refresh_token: 'authorizationCodeGrantRefreshToken' },
  client_credentials: { access_token: 'clientCredentialsGrantAccessToken' },
  implicit: { access_token: 'implicitGrantAccessToken', id_token: 'implicitGrantIdToken' },
  refresh_token: { access_token: 'refreshTokenGrantAccessToken', id_token: 'refreshTokenGrantIdToken', refresh_token: 'refreshTokenGrantRefreshToken' },
  'urn:ietf:params:oauth:grant-type:jwt-bearer': { access_token: 'jwtBearerGrantAccessToken' },
  'urn:ietf:params:oauth:grant-type:device_code': { access_token: 'deviceAuthorizationGrantAccessToken', id_token: 'deviceAuthorizationGrantIdToken', refresh_token: 'deviceAuthorizationGrantRefreshToken' }
}

/** The client's own lifespan for (grant, token) when set, otherwise `fallbackMs` (hydra-api.md §2.2). */
export function effectiveLifespanMs (client: Pick<OAuth2Client, 'lifespansMs'>, grant: string, token: LifespanToken, fallbackMs: number): number {
  const key = LIFESPAN_LOOKUP[grant as LifespanGrant]?.[token]
  const value = key === undefined ? null : client.lifespansMs[key]
  return value ?? fallbackMs
}
