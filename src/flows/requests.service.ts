// The login and consent app's admin operations (hydra-api.md §3.3, §3.6): read, accept or reject a challenge.
import type { OAuth2Client } from '../clients/client.js'
import { invalidRequest, notFound, requestUnauthorized } from '../errors/catalogue.js'
import { FlowPurpose, FlowState, canTransition, type Flow, type FlowError } from './flow.js'
import { isExpired, nowSeconds, withQuery, type FlowsDeps } from './flows.deps.js'

export interface LoginAccept {
  subject: string
  remember: boolean
  rememberFor: number
  extendSessionLifespan: boolean
  acr: string
  amr: string[]
  context: unknown
  forceSubjectIdentifier: string
  identityProviderSessionId: string
}

export interface ConsentAccept {
  grantScope: string[]
  grantAudience: string[]
  sessionAccessToken: Record<string, unknown>
  sessionIdToken: Record<string, unknown>
  remember: boolean
  rememberFor: number
  /** undefined keeps the context from login accept. */
  context: unknown
}

/** A rejectOAuth2Request body; empty fields take Hydra's defaults. */
export interface Rejection {
  error: string
  errorDescription: string
  errorHint: string
  errorDebug: string
  statusCode: number
}

export interface OpenedRequest { challenge: string, flow: Flow, client: OAuth2Client | undefined }

/** A challenge whose flow already ended: Hydra answers 410 with the original authorization request URL. */
export interface HandledRequest { redirectTo: string }

export class RequestsService {
  private readonly deps: FlowsDeps

  constructor (deps: FlowsDeps) {
    this.deps = deps
  }

  private open (challenge: string, kind: 'login' | 'consent'): Flow {
    if (challenge === '') throw invalidRequest(`Query parameter '${kind}_challenge' is not defined but should have been.`)
    const purpose = kind === 'login' ? FlowPurpose.LOGIN_CHALLENGE : FlowPurpose.CONSENT_CHALLENGE
    const flow = this.deps.codec.open<Flow>(challenge, purpose)
    if (flow === undefined) throw notFound()
    if (isExpired(this.deps, flow.requestedAt)) throw requestUnauthorized(`The ${kind} request has expired, please try again.`)
    if (!canTransition(flow, kind === 'login' ? 'handleLogin' : 'handleConsent')) throw notFound()
    return flow
  }

  private async withClient (challenge: string, flow: Flow): Promise<OpenedRequest> {
    return { challenge, flow, client: await this.deps.findClient(flow.clientId) }
  }

  // ---- login ---------------------------------------------------------------------------------------------

  /**
   * Challenges are stateless, but a flow whose consent verifier was redeemed has its row in hydra_oauth2_flow:
   * its login and consent challenges are then "already handled" (the back button, a second tab).
   */
  private async openUnhandled (challenge: string, kind: 'login' | 'consent'): Promise<OpenedRequest | HandledRequest> {
    const flow = this.open(challenge, kind)
    if (await this.deps.store.isFlowCompleted(flow.id)) return { redirectTo: flow.requestUrl }
    return await this.withClient(challenge, flow)
  }

  async getOAuth2LoginRequest (challenge: string): Promise<OpenedRequest | HandledRequest> {
    return await this.openUnhandled(challenge, 'login')
  }

  /** `redirect_to` with a login verifier; a skip with a different subject restarts with prompt=login (§3.3). */
  async acceptOAuth2LoginRequest (challenge: string, accept: LoginAccept): Promise<string> {
    const flow = this.open(challenge, 'login')
    if (accept.subject === '') throw invalidRequest("Field 'subject' must not be empty.")
    if (flow.loginSkip && flow.subject !== accept.subject) return withQuery(flow.requestUrl, { prompt: 'login' })
    const accepted: Flow = {
      ...flow,
      state: FlowState.LOGIN_UNUSED,
      subject: accept.subject,
      // A skipped login re-confirms a remembered session: it stays remembered and keeps its original auth time.
      remember: flow.loginSkip ? true : accept.remember,
      rememberFor: accept.rememberFor,
      extendSessionLifespan: accept.extendSessionLifespan,
      acr: accept.acr,
      amr: accept.amr,
      context: accept.context ?? {},
      forceSubjectIdentifier: accept.forceSubjectIdentifier,
      identityProviderSessionId: accept.identityProviderSessionId,
      authenticatedAt: flow.loginSkip && flow.authenticatedAt !== undefined ? flow.authenticatedAt : nowSeconds(this.deps.clock)
    }
    delete accepted.loginError
    return withQuery(flow.requestUrl, { login_verifier: this.deps.codec.seal(accepted, FlowPurpose.LOGIN_VERIFIER) })
  }

  async rejectOAuth2LoginRequest (challenge: string, rejection: Rejection): Promise<string> {
    const flow = this.open(challenge, 'login')
    const rejected: Flow = { ...flow, state: FlowState.LOGIN_ERROR, loginError: flowError(rejection, 'login request denied') }
    return withQuery(flow.requestUrl, { login_verifier: this.deps.codec.seal(rejected, FlowPurpose.LOGIN_VERIFIER) })
  }

  // ---- consent -------------------------------------------------------------------------------------------

  async getOAuth2ConsentRequest (challenge: string): Promise<OpenedRequest | HandledRequest> {
    return await this.openUnhandled(challenge, 'consent')
  }

  async acceptOAuth2ConsentRequest (challenge: string, accept: ConsentAccept): Promise<string> {
    const flow = this.open(challenge, 'consent')
    const accepted: Flow = {
      ...flow,
      state: FlowState.CONSENT_UNUSED,
      grantScope: accept.grantScope,
      grantAudience: accept.grantAudience,
      sessionAccessToken: accept.sessionAccessToken,
      sessionIdToken: accept.sessionIdToken,
      consentRemember: accept.remember,
      consentRememberFor: accept.rememberFor,
      consentHandledAt: nowSeconds(this.deps.clock),
      ...(accept.context === undefined || accept.context === null ? {} : { context: accept.context })
    }
    delete accepted.consentError
    return withQuery(flow.requestUrl, { consent_verifier: this.deps.codec.seal(accepted, FlowPurpose.CONSENT_VERIFIER) })
  }

  async rejectOAuth2ConsentRequest (challenge: string, rejection: Rejection): Promise<string> {
    const flow = this.open(challenge, 'consent')
    const rejected: Flow = {
      ...flow,
      state: FlowState.CONSENT_ERROR,
      consentHandledAt: nowSeconds(this.deps.clock),
      consentError: flowError(rejection, 'consent request denied')
    }
    return withQuery(flow.requestUrl, { consent_verifier: this.deps.codec.seal(rejected, FlowPurpose.CONSENT_VERIFIER) })
  }
}

// Hydra: an empty error becomes "<kind> request denied" and an unset status 400.
function flowError (rejection: Rejection, defaultError: string): FlowError {
  return {
    error: rejection.error === '' ? defaultError : rejection.error,
    errorDescription: rejection.errorDescription,
    errorHint: rejection.errorHint,
    errorDebug: rejection.errorDebug,
    statusCode: rejection.statusCode === 0 ? 400 : rejection.statusCode
  }
}
