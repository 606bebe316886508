// The authorization endpoint (/oauth2/auth): dispatches to the flow step the request is at and delivers errors.
import type { OAuth2Client } from '../clients/client.js'
import { invalidRequest, loginRequired } from '../errors/catalogue.js'
import { isOAuth2Error } from '../errors/oauth2-error.js'
import { toOAuth2Error, toWireBody } from '../errors/wire.js'
import { encodeParams, single } from './authorize-params.js'
import { AuthorizeFailure, validateAuthorizeRequest, type Delivery, type ValidatedAuthorize } from './authorize-request.js'
import { deliver, redirect, type BrowserOutcome } from './browser-outcome.js'
import { redeemConsent, startConsent } from './consent-step.js'
import { withQuery, type BrowserRequest, type FlowsDeps } from './flows.deps.js'
import { LoginRequiredWithCookies, redeemLogin, startLogin } from './login-step.js'

const VERIFIERS = ['login_verifier', 'consent_verifier']

export class AuthorizeService {
  private readonly deps: FlowsDeps

  constructor (deps: FlowsDeps) {
    this.deps = deps
  }

  /** GET|POST /oauth2/auth. Never throws for protocol errors: they become redirects (§9.5). */
  async authorize (input: BrowserRequest): Promise<BrowserOutcome> {
    let delivery: Delivery | undefined
    const cookies: string[] = []
    try {
      const clientId = single(input.params, 'client_id')
      const client = clientId === '' ? undefined : await this.deps.findClient(clientId)
      const withoutVerifiers = new Map([...input.params].filter(([key]) => !VERIFIERS.includes(key)))
      const validated = validateAuthorizeRequest(client, withoutVerifiers, this.deps.config.rules, this.deps.clock.now())
      delivery = validated.delivery
      return await this.step(client as OAuth2Client, validated, input, encodeParams(withoutVerifiers), cookies)
    } catch (error) {
      return this.failure(error, delivery, cookies)
    }
  }

  private async step (client: OAuth2Client, validated: ValidatedAuthorize, input: BrowserRequest, rawQuery: string, cookies: string[]): Promise<BrowserOutcome> {
    const consentVerifier = single(input.params, 'consent_verifier')
    const loginVerifier = single(input.params, 'login_verifier')
    if (consentVerifier !== '' && loginVerifier !== '') throw invalidRequest('Only one of login_verifier and consent_verifier may be sent.')
    if (consentVerifier !== '') {
      const { params } = await redeemConsent(this.deps, client, validated, input, consentVerifier)
      return deliver(validated.delivery.redirectUri, validated.delivery.responseMode, params, cookies)
    }
    if (loginVerifier !== '') {
      const redeemed = await redeemLogin(this.deps, client, validated, input, loginVerifier)
      cookies.push(...redeemed.cookies)
      return await startConsent(this.deps, client, validated, redeemed.flow, cookies)
    }
    return await startLogin(this.deps, client, validated, input, rawQuery)
  }

  /** To the client when its redirect URI is valid (303 + error, error_description, state), else the error page. */
  private failure (thrown: unknown, delivery: Delivery | undefined, cookies: string[]): BrowserOutcome {
    let error = thrown instanceof AuthorizeFailure ? thrown.oauth2 : thrown
    if (!(thrown instanceof AuthorizeFailure) && !(thrown instanceof LoginRequiredWithCookies) && !isOAuth2Error(thrown)) this.deps.onUnexpectedError(thrown)
    const target = thrown instanceof AuthorizeFailure ? thrown.delivery ?? delivery : delivery
    if (thrown instanceof LoginRequiredWithCookies) {
      error = loginRequired(thrown.hint)
      cookies.push(...thrown.cookies)
    }
    const body = toWireBody(toOAuth2Error(error), this.deps.config.wire)
    const params: Record<string, string> = {}
    for (const [key, value] of Object.entries(body)) params[key] = String(value)
    if (target === undefined) return redirect(withQuery(this.deps.config.urls.error, params), cookies, 302)
    if (target.state !== '') params.state = target.state
    return deliver(target.redirectUri, target.responseMode, params, cookies)
  }
}
