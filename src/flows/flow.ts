// The login/consent flow object and its state machine; the whole object travels sealed inside challenges.
//
// Why sealed challenges and not database rows (the choice Hydra v2.2+ made too):
//   * A flow that the user abandons costs nothing: no row, no janitor. Most flows that reach the login page are
//     abandoned or retried, and the performance budget (research/performance.md) says row writes dominate the cost
//     of a full flow, so we do not persist what can travel in an AEAD-sealed challenge.
//   * Tamper-proofing, opacity, expiry and purpose separation come from the AEAD (flow-codec.ts): the associated
//     data names the purpose and the network, so a login challenge can never open as a consent verifier.
//   * Single use is enforced once, at the end: redeeming the consent verifier inserts the hydra_oauth2_flow row,
//     whose primary key (the flow id) is unique. A replayed consent verifier, or a replayed login verifier that led
//     to a second consent, fails on that insert ("The consent verifier has already been used.").
//   The price: accept calls cannot be "used up" (they are repeatable, as in Hydra) and a challenge grows with the
//   context the login app attaches; CSRF cookies bind every verifier to the browser that started the flow.
//
//   Browser            /oauth2/auth                        admin API (login / consent app)
//   ───────            ────────────                        ───────────────────────────────
//   auth request ───►  [1 LOGIN_INITIALIZED] ─ login_challenge ─► GET / accept / reject
//                                                               │ accept ─► [2 LOGIN_UNUSED]   ─┐ login_verifier
//                                                               │ reject ─► [128 LOGIN_ERROR]  ─┤
//   ◄──────────────────────────────────────────────────────────────────────────────────────────┘
//   login_verifier ─►  [3 LOGIN_USED] (error? ─► client gets it)
//                      [4 CONSENT_INITIALIZED] ─ consent_challenge ─► GET / accept / reject
//                                                               │ accept ─► [5 CONSENT_UNUSED]  ─┐ consent_verifier
//                                                               │ reject ─► [129 CONSENT_ERROR] ─┤
//   ◄──────────────────────────────────────────────────────────────────────────────────────────┘
//   consent_verifier ► [6 CONSENT_USED] ─ insert hydra_oauth2_flow (unique) ─► responder ─► client redirect_uri
//
// Accept/reject of login is allowed from {1, 2, 128}, redeeming a login verifier from {2, 128}; accept/reject of
// consent from {4, 5, 129}, redeeming a consent verifier from {5, 129} (hydra-api.md §3.1). Every sealed value is a
// snapshot, so "from" means the state inside the value presented.

export const FlowState = {
  LOGIN_INITIALIZED: 1,
  LOGIN_UNUSED: 2,
  LOGIN_USED: 3,
  CONSENT_INITIALIZED: 4,
  CONSENT_UNUSED: 5,
  CONSENT_USED: 6,
  LOGIN_ERROR: 128,
  CONSENT_ERROR: 129
} as const
export type FlowStateValue = typeof FlowState[keyof typeof FlowState]

/** What a sealed value is for; part of the AEAD associated data (Hydra's purposes 0..8). */
export const FlowPurpose = {
  LOGIN_CHALLENGE: 0,
  LOGIN_VERIFIER: 1,
  CONSENT_CHALLENGE: 4,
  CONSENT_VERIFIER: 5,
  LOGOUT_CHALLENGE: 7,
  LOGOUT_VERIFIER: 8
} as const
export type FlowPurposeValue = typeof FlowPurpose[keyof typeof FlowPurpose]

/** An error the login or consent app chose (rejectOAuth2Request), delivered to the client as is. */
export interface FlowError {
  error: string
  errorDescription: string
  errorHint: string
  errorDebug: string
  statusCode: number
}

export interface OidcContext {
  acr_values?: string[]
  ui_locales?: string[]
  display?: string
  id_token_hint_claims?: Record<string, unknown>
  login_hint?: string
}

/** JSON-safe: dates are epoch seconds so the object survives the seal/open round trip unchanged. */
export interface Flow {
  id: string
  state: FlowStateValue
  clientId: string
  requestUrl: string
  requestedScope: string[]
  requestedAudience: string[]
  /** Epoch seconds (Hydra truncates to seconds); the challenge expires ttl.login_consent_request after it. */
  requestedAt: number
  oidcContext: OidcContext
  loginSkip: boolean
  subject: string
  loginSessionId: string
  loginCsrf: string
  // --- login accept
  remember?: boolean
  rememberFor?: number
  extendSessionLifespan?: boolean
  acr?: string
  amr?: string[]
  context?: unknown
  forceSubjectIdentifier?: string
  identityProviderSessionId?: string
  /** Epoch seconds. */
  authenticatedAt?: number
  loginError?: FlowError
  // --- consent
  consentRequestId?: string
  consentSkip?: boolean
  consentCsrf?: string
  grantScope?: string[]
  grantAudience?: string[]
  sessionAccessToken?: Record<string, unknown>
  sessionIdToken?: Record<string, unknown>
  consentRemember?: boolean
  consentRememberFor?: number
  /** Epoch seconds. */
  consentHandledAt?: number
  consentError?: FlowError
}

const ALLOWED: Record<string, readonly FlowStateValue[]> = {
  handleLogin: [FlowState.LOGIN_INITIALIZED, FlowState.LOGIN_UNUSED, FlowState.LOGIN_ERROR],
  redeemLogin: [FlowState.LOGIN_UNUSED, FlowState.LOGIN_ERROR],
  handleConsent: [FlowState.CONSENT_INITIALIZED, FlowState.CONSENT_UNUSED, FlowState.CONSENT_ERROR],
  redeemConsent: [FlowState.CONSENT_UNUSED, FlowState.CONSENT_ERROR]
}

export type FlowTransition = keyof typeof ALLOWED & ('handleLogin' | 'redeemLogin' | 'handleConsent' | 'redeemConsent')

/** True when `transition` may start from the flow's state (the table above). */
export function canTransition (flow: Pick<Flow, 'state'>, transition: FlowTransition): boolean {
  return (ALLOWED[transition] ?? []).includes(flow.state)
}

export const toEpochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000)
export const fromEpochSeconds = (seconds: number): Date => new Date(seconds * 1000)
