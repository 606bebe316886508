// The hand-over from the flow engine (login + consent done) to the token side (codes, implicit/hybrid tokens).
//
// The flow engine owns /oauth2/auth: it validates the request, runs login and consent, stores the grant, and
// finally asks an AuthorizationResponder for the response parameters, which it delivers to the client's
// redirect URI in the request's response mode (query, fragment or form_post). The tokens domain implements
// AuthorizationResponder; for response_type=code it stores the code with everything the token endpoint needs.
// Implicit and hybrid flows plug in here later by returning tokens beside (or instead of) the code.

/** The validated authorization request, as the client sent it (RFC 6749 §4.1.1, OIDC Core §3.1.2.1). */
export interface AuthorizationRequest {
  /** Unique id of this authorization request; becomes the grant's consent request id (the token chain id). */
  id: string
  clientId: string
  /** The redirect_uri parameter exactly as sent ('' when omitted, then the client's only registered URI applies). */
  redirectUriParameter: string
  /** The redirect URI the response goes to (resolved against the client's registered URIs). */
  redirectUri: string
  responseTypes: readonly string[]
  responseMode: 'query' | 'fragment' | 'form_post'
  state: string
  nonce: string | undefined
  codeChallenge: string | undefined
  codeChallengeMethod: string | undefined
  requestedScope: readonly string[]
  requestedAudience: readonly string[]
  requestedAt: Date
  /** The sanitised request form (no secrets), for Hydra's `form_data` column. */
  form: Readonly<Record<string, string>>
}

/** What login and consent granted: everything tokens of this grant carry. */
export interface GrantedSession {
  /** The consent request id every token of this grant shares (Hydra's `challenge_id` / request id). */
  consentRequestId: string
  subject: string
  /** The subject as seen by this client: pairwise-obfuscated or forced (force_subject_identifier), else = subject. */
  clientSubject: string
  grantedScope: readonly string[]
  grantedAudience: readonly string[]
  /** consent accept `session.id_token`: extra ID-token and userinfo claims. */
  idTokenClaims: Readonly<Record<string, unknown>>
  /** consent accept `session.access_token`: extra access-token (`ext`) claims. */
  accessTokenClaims: Readonly<Record<string, unknown>>
  /** When the end user authenticated (`auth_time`). */
  authenticatedAt: Date
  /** When the authorization request started (`rat`). */
  requestedAt: Date
  acr: string
  amr: readonly string[]
  /** The login session id (`sid`), '' when there is none (remember=false still has one per flow). */
  loginSessionId: string
}

export interface AuthorizationResponder {
  /**
   * Issues what the response types ask for and returns the response parameters to deliver (code, state,
   * scope, and later access_token, id_token, ...). Throws OAuth2Error for failures the client must see.
   */
  respond(request: AuthorizationRequest, grant: GrantedSession): Promise<Record<string, string>>
}
