// The token domain: what every stored code, access token and refresh token carries, and the session inside it.

/**
 * Everything about the grant a token needs later (introspection, userinfo, ID tokens on refresh, PKCE at code
 * exchange). Stored as JSON in `session_data`, sealed when `oauth2.session.encrypt_at_rest` is on.
 */
export interface TokenSession {
  /** The real subject ('' for none); client_credentials uses the client id. */
  subject: string
  /** The subject as this client sees it (pairwise or forced); = subject otherwise. */
  clientSubject: string
  /** consent `session.id_token`: extra ID-token and userinfo claims. */
  idTokenClaims: Record<string, unknown>
  /** consent `session.access_token`: the `ext` claims. */
  accessTokenClaims: Record<string, unknown>
  /** When the end user authenticated (ms since epoch), for `auth_time`; null without an end user. */
  authTimeMs: number | null
  /** When the authorization request started (ms), for `rat`. */
  requestedAtMs: number | null
  acr: string
  amr: string[]
  /** Login session id (`sid`); '' when none. */
  sid: string
  nonce: string
  /** Authorization code only: PKCE and the redirect_uri the client sent (compared at exchange). */
  codeChallenge: string
  codeChallengeMethod: string
  redirectUriParameter: string
  /** The grant type that started the chain (authorization_code, client_credentials, ...). */
  originGrant: string
}

export function emptySession (): TokenSession {
  return {
    subject: '',
    clientSubject: '',
    idTokenClaims: {},
    accessTokenClaims: {},
    authTimeMs: null,
    requestedAtMs: null,
    acr: '',
    amr: [],
    sid: '',
    nonce: '',
    codeChallenge: '',
    codeChallengeMethod: '',
    redirectUriParameter: '',
    originGrant: ''
  }
}

export type TokenKind = 'authorize_code' | 'access_token' | 'refresh_token'

/** One stored token row (code, access or refresh), in domain terms. */
export interface TokenRecord {
  /** Hash of the token's signature (the lookup key). */
  signature: string
  /** The chain id every token of one grant shares: revocation and reuse detection act on it. */
  requestId: string
  /** Consent request id (hydra_oauth2_flow.consent_challenge_id); null for grants without consent. */
  challengeId: string | null
  requestedAt: Date
  clientId: string
  requestedScope: string[]
  grantedScope: string[]
  requestedAudience: string[]
  grantedAudience: string[]
  /** Sanitised request form, URL-encoded (Hydra's form_data). */
  formData: string
  /** Serialised (possibly sealed) TokenSession. */
  sessionData: string
  subject: string
  isActive: boolean
  expiresAt: Date
}

export interface RefreshRecord extends TokenRecord {
  firstUsedAt: Date | null
  usedTimes: number
  /** Signature hash of the access token issued together with this refresh token. */
  accessTokenSignature: string | null
}

/** Used codes and refresh tokens stay this long as inactive rows, for reuse detection (hydra-api.md §4.7). */
export const REUSE_DETECTION_WINDOW_MS = 30 * 60_000

export function hasOfflineScope (scopes: readonly string[]): boolean {
  return scopes.includes('offline') || scopes.includes('offline_access')
}

export function splitList (text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter((part) => part !== '')
}
