// The one error type of Warden: every failure that reaches a client is an OAuth2Error.

/** Closed set of error codes Warden emits, grouped by the specification that defines them. */
export type OAuth2ErrorCode =
  // RFC 6749 §4.1.2.1, §5.2
  | 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'access_denied'
  | 'unsupported_response_type' | 'unsupported_grant_type' | 'invalid_scope' | 'server_error'
  | 'temporarily_unavailable'
  // OAuth 2.0 Multiple Response Type Encoding Practices / OIDC Core §3.1.2.6
  | 'unsupported_response_mode' | 'interaction_required' | 'login_required' | 'account_selection_required'
  | 'consent_required' | 'invalid_request_uri' | 'invalid_request_object' | 'request_not_supported'
  | 'request_uri_not_supported' | 'registration_not_supported'
  // RFC 6750 §3.1, RFC 7009 §2.2.1
  | 'invalid_token' | 'insufficient_scope' | 'unsupported_token_type'
  // RFC 7591 §3.2.2
  | 'invalid_redirect_uri' | 'invalid_client_metadata'
  // RFC 8628 §3.5
  | 'authorization_pending' | 'slow_down' | 'expired_token'
  // fosite / Hydra specific
  | 'invalid_state' | 'insufficient_entropy' | 'request_unauthorized' | 'request_forbidden' | 'token_inactive'
  | 'token_signature_mismatch' | 'scope_not_granted' | 'token_claim' | 'jti_known' | 'not_found'
  | 'misconfiguration' | 'missing_required_parameter' | 'method_not_allowed' | 'conflict' | 'bad_gateway'
  // Hydra's generic (non-OAuth) errors use a human message as `error`; reject bodies carry UI-defined codes.
  | (string & { readonly __freeForm?: never })

export interface OAuth2ErrorInit {
  error: OAuth2ErrorCode
  statusCode: number
  description: string
  hint?: string
  debug?: string
  cause?: unknown
  /** Extra headers the response must carry (for example WWW-Authenticate). */
  headers?: Record<string, string>
}

export class OAuth2Error extends Error {
  readonly error: OAuth2ErrorCode
  readonly statusCode: number
  readonly description: string
  readonly hint: string | undefined
  readonly debug: string | undefined
  readonly headers: Record<string, string> | undefined

  constructor (init: OAuth2ErrorInit) {
    super(init.hint === undefined ? init.description : `${init.description} ${init.hint}`, { cause: init.cause })
    this.name = 'OAuth2Error'
    this.error = init.error
    this.statusCode = init.statusCode
    this.description = init.description
    this.hint = init.hint
    this.debug = init.debug
    this.headers = init.headers
  }

  private copy (changes: Partial<OAuth2ErrorInit>): OAuth2Error {
    return new OAuth2Error({
      error: this.error,
      statusCode: this.statusCode,
      description: this.description,
      hint: this.hint,
      debug: this.debug,
      cause: this.cause,
      headers: this.headers,
      ...changes
    })
  }

  /** Returns a copy carrying a hint: why this particular request failed. */
  withHint (hint: string): OAuth2Error { return this.copy({ hint }) }

  /** Returns a copy carrying debug text, shown only when `oauth2.expose_internal_errors` is on. */
  withDebug (debug: string): OAuth2Error { return this.copy({ debug }) }

  withStatus (statusCode: number): OAuth2Error { return this.copy({ statusCode }) }

  withHeaders (headers: Record<string, string>): OAuth2Error { return this.copy({ headers: { ...this.headers, ...headers } }) }
}

export function isOAuth2Error (value: unknown): value is OAuth2Error {
  return value instanceof OAuth2Error
}
