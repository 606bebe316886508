// OIDC RP- and OP-initiated logout (hydra-api.md §3.11): sealed logout challenges, admin accept/reject, completion.
import type { OAuth2Client } from '../clients/client.js'
import { invalidRequest, notFound, requestUnauthorized } from '../errors/catalogue.js'
import { isOAuth2Error } from '../errors/oauth2-error.js'
import { toWireBody } from '../errors/wire.js'
import { randomHex } from '../lib/random.js'
import { single } from './authorize-params.js'
import { frontChannelLogoutPage, redirect, type BrowserOutcome } from './browser-outcome.js'
import { FlowPurpose } from './flow.js'
import { nowSeconds, withQuery, type BrowserRequest, type FlowsDeps } from './flows.deps.js'
import { audiencesOf } from './id-token-hint.js'

/** Everything a logout request needs, sealed into the logout challenge and verifier (no table). */
export interface LogoutRequest {
  id: string
  subject: string
  sid: string
  clientId: string
  isRpInitiated: boolean
  requestUrl: string
  /** Where the browser ends: the RP's post_logout_redirect_uri with state, or urls.post_logout_redirect. */
  redirectTo: string
  requestedAt: number
  expiresAt: number
}

export interface OpenedLogout { challenge: string, logout: LogoutRequest, client: OAuth2Client | undefined }

export class LogoutService {
  private readonly deps: FlowsDeps

  constructor (deps: FlowsDeps) {
    this.deps = deps
  }

  /** GET|POST /oauth2/sessions/logout; errors go to the error page (§9.5). */
  async logout (input: BrowserRequest, rawQuery: string): Promise<BrowserOutcome> {
    try {
      const verifier = single(input.params, 'logout_verifier')
      if (verifier !== '') return await this.complete(input, verifier)
      return await this.start(input, rawQuery)
    } catch (error) {
      if (!isOAuth2Error(error)) this.deps.onUnexpectedError(error)
      const body = toWireBody(error, this.deps.config.wire)
      return redirect(withQuery(this.deps.config.urls.error, { error: body.error, error_description: body.error_description }))
    }
  }

  private challengeFor (logout: Omit<LogoutRequest, 'id' | 'requestedAt' | 'expiresAt'>): BrowserOutcome {
    const requestedAt = nowSeconds(this.deps.clock)
    const sealed: LogoutRequest = { ...logout, id: randomHex(16), requestedAt, expiresAt: requestedAt + Math.floor(this.deps.config.loginConsentRequestTtlMs / 1000) }
    return redirect(withQuery(this.deps.config.urls.logoutUi, { logout_challenge: this.deps.codec.seal(sealed, FlowPurpose.LOGOUT_CHALLENGE) }))
  }

  private async start (input: BrowserRequest, rawQuery: string): Promise<BrowserOutcome> {
    const { params } = input
    const hint = single(params, 'id_token_hint')
    const state = single(params, 'state')
    const postLogoutUri = single(params, 'post_logout_redirect_uri')
    const requestUrl = `${this.deps.config.urls.logout}${rawQuery === '' ? '' : `?${rawQuery}`}`
    const fallback = this.deps.config.urls.postLogoutRedirect
    if (hint === '') {
      if (state !== '') throw invalidRequest('Logout failed because query parameter state is set but id_token_hint is missing.')
      if (postLogoutUri !== '') throw invalidRequest('Logout failed because query parameter post_logout_redirect_uri is set but id_token_hint is missing.')
      const sid = this.deps.cookies.sessionId(input.cookies)
      const session = sid === undefined ? undefined : await this.deps.store.getLoginSession(sid)
      if (session === undefined || !session.remember) return redirect(fallback)
      return this.challengeFor({ subject: session.subject, sid: session.id, clientId: '', isRpInitiated: false, requestUrl, redirectTo: fallback })
    }
    const claims = await this.deps.decodeIdTokenHint(hint)
    if (claims.iss !== this.deps.config.urls.issuer) throw invalidRequest('Logout failed because issuer of the id_token_hint does not match this server.')
    if (typeof claims.iat === 'number' && claims.iat > nowSeconds(this.deps.clock) + 1) throw invalidRequest('Logout failed because the id_token_hint was issued in the future.')
    if (typeof claims.sid !== 'string' || claims.sid === '') throw invalidRequest('Logout failed because the id_token_hint has no "sid" claim.')
    if (typeof claims.sub !== 'string' || claims.sub === '') throw invalidRequest('Logout failed because the id_token_hint has no "sub" claim.')
    let client: OAuth2Client | undefined
    for (const aud of audiencesOf(claims)) {
      client = await this.deps.findClient(aud)
      if (client !== undefined) break
    }
    if (client === undefined) throw invalidRequest('Logout failed because none of the audiences of the id_token_hint is a registered OAuth 2.0 Client.')
    let redirectTo = fallback
    if (postLogoutUri !== '') {
      if (!(client.postLogoutRedirectUris ?? []).includes(postLogoutUri)) {
        throw invalidRequest('Logout failed because query parameter post_logout_redirect_uri is not a whitelisted as a post_logout_redirect_uri for the client.')
      }
      redirectTo = state === '' ? postLogoutUri : withQuery(postLogoutUri, { state })
    }
    const session = await this.deps.store.getLoginSession(claims.sid)
    if (session === undefined || !session.remember) return redirect(redirectTo)
    return this.challengeFor({ subject: session.subject, sid: session.id, clientId: client.id, isRpInitiated: true, requestUrl, redirectTo })
  }

  private openLogout (value: string, purpose: typeof FlowPurpose.LOGOUT_CHALLENGE | typeof FlowPurpose.LOGOUT_VERIFIER): LogoutRequest {
    const logout = this.deps.codec.open<LogoutRequest>(value, purpose)
    if (logout === undefined) throw notFound()
    if (logout.expiresAt <= nowSeconds(this.deps.clock)) throw requestUnauthorized('The logout request has expired, please try the flow again.')
    return logout
  }

  async getOAuth2LogoutRequest (challenge: string): Promise<OpenedLogout> {
    if (challenge === '') throw invalidRequest("Query parameter 'logout_challenge' is not defined but should have been.")
    const logout = this.openLogout(challenge, FlowPurpose.LOGOUT_CHALLENGE)
    return { challenge, logout, client: logout.clientId === '' ? undefined : await this.deps.findClient(logout.clientId) }
  }

  async acceptOAuth2LogoutRequest (challenge: string): Promise<string> {
    const { logout } = await this.getOAuth2LogoutRequest(challenge)
    return withQuery(this.deps.config.urls.logout, { logout_verifier: this.deps.codec.seal(logout, FlowPurpose.LOGOUT_VERIFIER) })
  }

  /** Nothing is revoked: the logout UI decides where the user goes next (Hydra answers 204). */
  async rejectOAuth2LogoutRequest (challenge: string): Promise<void> {
    await this.getOAuth2LogoutRequest(challenge)
  }

  private async complete (input: BrowserRequest, verifier: string): Promise<BrowserOutcome> {
    const logout = this.openLogout(verifier, FlowPurpose.LOGOUT_VERIFIER)
    if (!logout.isRpInitiated) {
      // OP-initiated: only the browser that holds this very session may end it (no replay, no other user).
      const sid = this.deps.cookies.sessionId(input.cookies)
      const session = sid === undefined ? undefined : await this.deps.store.getLoginSession(sid)
      if (session === undefined || session.id !== logout.sid || session.subject !== logout.subject) return redirect(logout.redirectTo)
    }
    const session = await this.deps.store.getLoginSession(logout.sid)
    const clientIds = session === undefined ? [] : await this.deps.store.clientIdsOfLoginSession(logout.sid, logout.subject)
    if (!await this.deps.store.deleteLoginSession(logout.sid)) return redirect(logout.redirectTo)
    const cookies = [this.deps.cookies.clearSessionCookie()]
    const clients = (await Promise.all(clientIds.map(this.deps.findClient))).filter((client): client is OAuth2Client => client !== undefined)
    const { frontChannelUrls } = await this.deps.logoutNotifier.sessionEnded({
      sid: logout.sid, subject: logout.subject, clients, identityProviderSessionId: session?.identityProviderSessionId ?? ''
    })
    if (frontChannelUrls.length === 0) return redirect(logout.redirectTo, cookies)
    return frontChannelLogoutPage(frontChannelUrls, logout.redirectTo, cookies)
  }
}
