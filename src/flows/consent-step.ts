// /oauth2/auth consent decision and step 3 (hydra-api.md §3.5, §3.7): remembered consent, then grant + hand-over.
import { isPublicClient, type OAuth2Client } from '../clients/client.js'
import { accessDenied, consentRequired, invalidClient, invalidRequest } from '../errors/catalogue.js'
import { randomHex, timeOrderedHex } from '../lib/random.js'
import type { AuthorizationRequest, GrantedSession } from './authorization-handover.js'
import type { ValidatedAuthorize } from './authorize-request.js'
import { redirect, type BrowserOutcome } from './browser-outcome.js'
import { FlowPurpose, FlowState, canTransition, fromEpochSeconds, type Flow } from './flow.js'
import { flowErrorToOAuth2, openVerifier, withQuery, type BrowserRequest, type FlowsDeps } from './flows.deps.js'
import type { StoredGrant } from './flows.store.js'
import { canPublicClientSkipConsent, isSecureRedirectUri } from './redirect-uri.js'
import { clientSubject } from './subject-identifier.js'

/** §3.5: may a previous remembered consent cover this request? */
async function canSkipConsent (deps: FlowsDeps, client: OAuth2Client, validated: ValidatedAuthorize, flow: Flow): Promise<boolean> {
  if (validated.prompt.has('consent')) return false
  // A public client cannot prove who receives the code on a custom scheme or a non-loopback http URI.
  if (isPublicClient(client) && !canPublicClientSkipConsent(validated.request.redirectUri)) return false
  const previous = await deps.store.findRememberedGrants(client.id, flow.subject, deps.clock.now())
  const granted = previous[0]?.grantedScope
  if (granted === undefined) return false
  return flow.requestedScope.every((scope) => deps.config.rules.matchScope(granted, scope))
}

/** After login: decide consent skip, seal the consent challenge and send the browser to the consent UI. */
export async function startConsent (deps: FlowsDeps, client: OAuth2Client, validated: ValidatedAuthorize, flow: Flow, cookies: string[]): Promise<BrowserOutcome> {
  const isSkip = await canSkipConsent(deps, client, validated, flow)
  if (validated.prompt.has('none') && !isSkip) throw consentRequired("Prompt 'none' was requested, but no previous consent was found.")
  const consentFlow: Flow = {
    ...flow,
    state: FlowState.CONSENT_INITIALIZED,
    consentRequestId: timeOrderedHex(deps.clock.now().getTime()),
    consentSkip: isSkip,
    consentCsrf: randomHex(16)
  }
  const ttlSeconds = Math.floor(deps.config.loginConsentRequestTtlMs / 1000)
  cookies.push(...deps.cookies.csrfCookies('consent', client.id, consentFlow.consentCsrf as string, ttlSeconds))
  return redirect(withQuery(deps.config.urls.consent, { consent_challenge: deps.codec.seal(consentFlow, FlowPurpose.CONSENT_CHALLENGE) }), cookies)
}

function toStoredGrant (flow: Flow, handledAt: Date): StoredGrant {
  const rememberFor = flow.consentRememberFor ?? 0
  return {
    flowId: flow.id,
    consentRequestId: flow.consentRequestId as string,
    clientId: flow.clientId,
    subject: flow.subject,
    requestUrl: flow.requestUrl,
    requestedScope: flow.requestedScope,
    requestedAudience: flow.requestedAudience,
    loginSkip: flow.loginSkip,
    oidcContext: { ...flow.oidcContext },
    requestedAt: fromEpochSeconds(flow.requestedAt),
    loginSessionId: flow.loginSessionId === '' ? null : flow.loginSessionId,
    loginRemember: flow.remember === true,
    loginRememberFor: flow.rememberFor ?? 0,
    loginExtendSessionLifespan: flow.extendSessionLifespan === true,
    authenticatedAt: flow.authenticatedAt === undefined ? null : fromEpochSeconds(flow.authenticatedAt),
    acr: flow.acr ?? '',
    amr: flow.amr ?? [],
    context: flow.context ?? {},
    forcedSubjectIdentifier: flow.forceSubjectIdentifier ?? '',
    identityProviderSessionId: flow.identityProviderSessionId ?? '',
    consentSkip: flow.consentSkip === true,
    consentRemember: flow.consentRemember === true,
    consentRememberFor: rememberFor,
    consentHandledAt: flow.consentHandledAt === undefined ? handledAt : fromEpochSeconds(flow.consentHandledAt),
    grantedScope: flow.grantScope ?? [],
    grantedAudience: flow.grantAudience ?? [],
    sessionAccessToken: flow.sessionAccessToken ?? {},
    sessionIdToken: flow.sessionIdToken ?? {},
    // Hydra's generated column: requested_at + remember_for, never when remember_for is 0.
    expiresAt: rememberFor > 0 ? new Date((flow.requestedAt + rememberFor) * 1000) : null
  }
}

export interface RedeemedConsent { params: Record<string, string> }

/** Step 3: redeem the consent verifier, store the grant (single use), and let the responder issue the response. */
export async function redeemConsent (deps: FlowsDeps, client: OAuth2Client, validated: ValidatedAuthorize, input: BrowserRequest, verifier: string): Promise<RedeemedConsent> {
  const flow = openVerifier(deps, verifier, FlowPurpose.CONSENT_VERIFIER, 'consent')
  if (!canTransition(flow, 'redeemConsent')) throw invalidRequest('The consent verifier is in the wrong state.')
  if (flow.clientId !== client.id) throw invalidClient('The flow was started by a different OAuth 2.0 Client.')
  if (flow.consentError !== undefined) throw flowErrorToOAuth2(flow.consentError)
  // CSRF before the insert, so a verifier replayed from another browser cannot burn the grant.
  deps.cookies.assertCsrf('consent', client.id, flow.consentCsrf ?? '', input.cookies, input.host)
  const stored = toStoredGrant(flow, deps.clock.now())
  if (!await deps.store.insertGrant(stored)) throw accessDenied('The consent verifier has already been used.')
  // fosite's code handler refuses insecure redirect URIs only here, after login and consent (hydra-api.md §3.7).
  if (!deps.config.isDev && !isSecureRedirectUri(validated.request.redirectUri)) {
    throw invalidRequest("Redirect URL is using an insecure protocol, http is only allowed for hosts with suffix 'localhost', for example: http://myapp.localhost/.")
  }
  const request: AuthorizationRequest = { ...validated.request, id: stored.consentRequestId, requestedAt: fromEpochSeconds(flow.requestedAt) }
  // Only pairwise clients can have a forced subject; skip the lookup for everyone else.
  const forced = client.subjectType === 'pairwise' ? await deps.store.getForcedSubject(client.id, flow.subject) : undefined
  const grant: GrantedSession = {
    consentRequestId: stored.consentRequestId,
    subject: flow.subject,
    clientSubject: clientSubject(client, flow.subject, deps.config.pairwiseSalt, forced),
    grantedScope: stored.grantedScope,
    grantedAudience: stored.grantedAudience,
    idTokenClaims: stored.sessionIdToken,
    accessTokenClaims: stored.sessionAccessToken,
    authenticatedAt: stored.authenticatedAt ?? request.requestedAt,
    requestedAt: request.requestedAt,
    acr: stored.acr,
    amr: stored.amr,
    loginSessionId: flow.loginSessionId
  }
  const params = await deps.responder.respond(request, grant)
  return { params: { ...(request.state === '' ? {} : { state: request.state }), ...params } }
}
