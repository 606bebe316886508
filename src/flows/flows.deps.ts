// The dependencies and config slice every part of the flow engine shares, plus small helpers on them.
import type { OAuth2Client } from '../clients/client.js'
import { accessDenied, requestUnauthorized } from '../errors/catalogue.js'
import { OAuth2Error } from '../errors/oauth2-error.js'
import type { WireOptions } from '../errors/wire.js'
import type { Clock } from '../lib/clock.js'
import type { AuthorizationResponder } from './authorization-handover.js'
import type { AuthorizeRules } from './authorize-request.js'
import { fromEpochSeconds, type Flow, type FlowError, type FlowPurposeValue } from './flow.js'
import type { FlowCodec } from './flow-codec.js'
import type { FlowCookies } from './flow-cookies.js'
import type { FlowsStore } from './flows.store.js'
import type { IdTokenHintDecoder } from './id-token-hint.js'
import type { LogoutNotifier } from './logout-notifier.js'

export interface FlowsConfig {
  urls: {
    issuer: string
    /** `<public>/oauth2/auth` (or webfinger.oidc_discovery.auth_url): the base of request_url. */
    authorize: string
    /** `<public>/oauth2/sessions/logout`. */
    logout: string
    login: string
    consent: string
    registration: string
    logoutUi: string
    error: string
    postLogoutRedirect: string
  }
  loginConsentRequestTtlMs: number
  authenticationSessionTtlMs: number
  isDev: boolean
  pairwiseSalt: string
  rules: AuthorizeRules
  wire: WireOptions
}

export interface FlowsDeps {
  config: FlowsConfig
  store: FlowsStore
  /** Client lookup (ClientsService); undefined for unknown ids. */
  findClient: (id: string) => Promise<OAuth2Client | undefined>
  codec: FlowCodec
  cookies: FlowCookies
  clock: Clock
  decodeIdTokenHint: IdTokenHintDecoder
  responder: AuthorizationResponder
  logoutNotifier: LogoutNotifier
  /** Failures that are not protocol errors (database down, bugs): the browser sees server_error, operators a log line. */
  onUnexpectedError: (error: unknown) => void
}

/** What a browser-facing step reads from the HTTP request. */
export interface BrowserRequest {
  params: ReadonlyMap<string, readonly string[]>
  cookies: Map<string, string>
  /** The Host header, for the CSRF troubleshooting text. */
  host: string | undefined
}

// Hydra caps the session cookie's lifetime at 180 days whatever ttl.authentication_session says.
export const MAX_SESSION_COOKIE_SECONDS = 180 * 24 * 3600

export const nowSeconds = (clock: Clock): number => Math.floor(clock.now().getTime() / 1000)

/** Has the flow outlived ttl.login_consent_request, measured from the start of the flow? */
export function isExpired (deps: FlowsDeps, requestedAtSeconds: number): boolean {
  return fromEpochSeconds(requestedAtSeconds).getTime() + deps.config.loginConsentRequestTtlMs <= deps.clock.now().getTime()
}

/** Opens a verifier presented at /oauth2/auth, with Hydra's errors for garbage and for expired flows (§3.1). */
export function openVerifier (deps: FlowsDeps, value: string, purpose: FlowPurposeValue, what: 'login' | 'consent'): Flow {
  const flow = deps.codec.open<Flow>(value, purpose)
  if (flow === undefined) throw accessDenied(`The ${what} verifier has already been used, has not been granted, or is invalid.`)
  if (isExpired(deps, flow.requestedAt)) throw requestUnauthorized(`The ${what} request has expired, please try again.`)
  return flow
}

/** The error a login or consent app chose at reject, as the client will receive it. */
export function flowErrorToOAuth2 (error: FlowError): OAuth2Error {
  return new OAuth2Error({
    error: error.error,
    statusCode: error.statusCode,
    description: error.errorDescription,
    ...(error.errorHint === '' ? {} : { hint: error.errorHint }),
    ...(error.errorDebug === '' ? {} : { debug: error.errorDebug })
  })
}

export function withQuery (url: string, params: Readonly<Record<string, string>>): string {
  const target = new URL(url)
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value)
  return target.toString()
}
