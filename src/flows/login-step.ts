// /oauth2/auth steps 1 and 2 (hydra-api.md §3.2, §3.4): start the login, then redeem the login verifier.
import type { OAuth2Client } from '../clients/client.js'
import { invalidClient, invalidRequest, loginRequired } from '../errors/catalogue.js'
import { randomHex, randomId } from '../lib/random.js'
import type { ValidatedAuthorize } from './authorize-request.js'
import { redirect, type BrowserOutcome } from './browser-outcome.js'
import { FlowPurpose, FlowState, canTransition, fromEpochSeconds, toEpochSeconds, type Flow } from './flow.js'
import { MAX_SESSION_COOKIE_SECONDS, flowErrorToOAuth2, nowSeconds, openVerifier, withQuery, type BrowserRequest, type FlowsDeps } from './flows.deps.js'
import { audiencesOf } from './id-token-hint.js'
import { clientSubject } from './subject-identifier.js'

interface SessionLookup { sid: string, subject: string, authenticatedAt: number }

/** The remembered login session behind the cookie, if any (Hydra checks `remember`, not the row's expiry). */
async function rememberedSession (deps: FlowsDeps, input: BrowserRequest): Promise<SessionLookup | undefined> {
  const sid = deps.cookies.sessionId(input.cookies)
  if (sid === undefined) return undefined
  const session = await deps.store.getLoginSession(sid)
  if (session === undefined || !session.remember || session.authenticatedAt === null) return undefined
  return { sid, subject: session.subject, authenticatedAt: toEpochSeconds(session.authenticatedAt) }
}

/** Does the id_token_hint name this subject (directly, pairwise, or by the forced id)? */
async function hintMatches (deps: FlowsDeps, client: OAuth2Client, hintSubject: unknown, subject: string): Promise<boolean> {
  if (typeof hintSubject !== 'string' || hintSubject === '') throw invalidRequest('The id_token_hint has no "sub" claim.')
  if (hintSubject === subject) return true
  if (client.subjectType !== 'pairwise') return false
  const forced = await deps.store.getForcedSubject(client.id, subject)
  return hintSubject === clientSubject(client, subject, deps.config.pairwiseSalt, forced)
}

async function decodeHint (deps: FlowsDeps, client: OAuth2Client, token: string): Promise<Record<string, unknown> | undefined> {
  if (token === '') return undefined
  const claims = await deps.decodeIdTokenHint(token)
  if (!audiencesOf(claims).includes(client.id)) throw invalidRequest('The id_token_hint was not issued to this OAuth 2.0 Client.')
  if (typeof claims.sub !== 'string' || claims.sub === '') throw invalidRequest('The id_token_hint has no "sub" claim.')
  return claims
}

/** Step 1: decide whether login may be skipped, seal the flow into a login challenge, send the browser to the UI. */
export async function startLogin (deps: FlowsDeps, client: OAuth2Client, validated: ValidatedAuthorize, input: BrowserRequest, rawQuery: string): Promise<BrowserOutcome> {
  const { prompt } = validated
  const hintClaims = await decodeHint(deps, client, validated.idTokenHint)
  let session = prompt.has('login') || prompt.has('select_account') ? undefined : await rememberedSession(deps, input)
  if (session !== undefined && validated.maxAgeSeconds !== undefined && session.authenticatedAt + validated.maxAgeSeconds < nowSeconds(deps.clock)) {
    if (prompt.has('none')) throw loginRequired('Request max_age is exceeded and prompt is set to none.')
    session = undefined
  }
  if (session !== undefined && hintClaims !== undefined && !await hintMatches(deps, client, hintClaims.sub, session.subject)) {
    throw loginRequired('The subject from the id_token_hint does not match the authenticated session.')
  }
  if (prompt.has('none') && session === undefined) throw loginRequired("Prompt 'none' was requested, but no existing login session was found.")
  const flow: Flow = {
    id: randomHex(16),
    state: FlowState.LOGIN_INITIALIZED,
    clientId: client.id,
    requestUrl: `${deps.config.urls.authorize}?${rawQuery}`,
    requestedScope: [...validated.request.requestedScope],
    requestedAudience: [...validated.request.requestedAudience],
    requestedAt: nowSeconds(deps.clock),
    oidcContext: {
      ...(validated.acrValues.length > 0 ? { acr_values: validated.acrValues } : {}),
      ...(validated.uiLocales.length > 0 ? { ui_locales: validated.uiLocales } : {}),
      ...(validated.display === '' ? {} : { display: validated.display }),
      ...(hintClaims === undefined ? {} : { id_token_hint_claims: hintClaims }),
      ...(validated.loginHint === '' ? {} : { login_hint: validated.loginHint })
    },
    loginSkip: session !== undefined,
    subject: session?.subject ?? '',
    loginSessionId: session?.sid ?? randomId(),
    loginCsrf: randomHex(16),
    ...(session === undefined ? {} : { authenticatedAt: session.authenticatedAt })
  }
  const ttlSeconds = Math.floor(deps.config.loginConsentRequestTtlMs / 1000)
  const cookies = deps.cookies.csrfCookies('login', client.id, flow.loginCsrf, ttlSeconds)
  const ui = prompt.has('registration') ? deps.config.urls.registration : deps.config.urls.login
  const query: Record<string, string> = { login_challenge: deps.codec.seal(flow, FlowPurpose.LOGIN_CHALLENGE) }
  if (validated.identitySchema !== '') query.identity_schema = validated.identitySchema
  return redirect(withQuery(ui, query), cookies)
}

/** Ends the browser's login session after a failed prompt check (Hydra revokes it before returning login_required). */
async function revokeBrowserSession (deps: FlowsDeps, input: BrowserRequest, cookies: string[]): Promise<void> {
  const sid = deps.cookies.sessionId(input.cookies)
  if (sid !== undefined) await deps.store.deleteLoginSession(sid)
  cookies.push(deps.cookies.clearSessionCookie())
}

export interface RedeemedLogin { flow: Flow, cookies: string[] }

/** A login_required that also carries the cookie clearing the revoked session. */
export class LoginRequiredWithCookies extends Error {
  readonly cookies: string[]
  readonly hint: string
  constructor (hint: string, cookies: string[]) {
    super(hint)
    this.hint = hint
    this.cookies = cookies
  }
}

async function checkPrompt (deps: FlowsDeps, client: OAuth2Client, validated: ValidatedAuthorize, flow: Flow, input: BrowserRequest): Promise<void> {
  const authenticatedAt = flow.authenticatedAt ?? 0
  let hint: string | undefined
  if (validated.prompt.has('none') && authenticatedAt > flow.requestedAt) hint = 'Prompt "none" was requested but the end user authenticated during this request.'
  if (validated.prompt.has('login') && authenticatedAt < flow.requestedAt) hint = 'Prompt "login" was requested but the end user did not authenticate during this request.'
  const hintClaims = flow.oidcContext.id_token_hint_claims
  if (hint === undefined && hintClaims !== undefined && !await hintMatches(deps, client, hintClaims.sub, flow.subject)) {
    hint = 'The subject from the id_token_hint does not match the authenticated end user.'
  }
  if (hint === undefined) return
  const cookies: string[] = []
  await revokeBrowserSession(deps, input, cookies)
  throw new LoginRequiredWithCookies(hint, cookies)
}

/** Step 2: redeem the login verifier, check CSRF and prompt rules, write the login session and its cookie. */
export async function redeemLogin (deps: FlowsDeps, client: OAuth2Client, validated: ValidatedAuthorize, input: BrowserRequest, verifier: string): Promise<RedeemedLogin> {
  const flow = openVerifier(deps, verifier, FlowPurpose.LOGIN_VERIFIER, 'login')
  if (!canTransition(flow, 'redeemLogin')) throw invalidRequest('The login verifier is in the wrong state.')
  if (flow.clientId !== client.id) throw invalidClient('The flow was started by a different OAuth 2.0 Client.')
  if (flow.loginError !== undefined) throw flowErrorToOAuth2(flow.loginError)
  deps.cookies.assertCsrf('login', client.id, flow.loginCsrf, input.cookies, input.host)
  await checkPrompt(deps, client, validated, flow, input)
  const forced = flow.forceSubjectIdentifier ?? ''
  if (forced !== '') await deps.store.upsertForcedSubject(client.id, flow.subject, forced)
  const cookies: string[] = []
  const isRemember = flow.remember === true
  if (!flow.loginSkip) {
    await deps.store.upsertLoginSession({
      id: flow.loginSessionId,
      subject: flow.subject,
      authenticatedAt: fromEpochSeconds(flow.authenticatedAt ?? nowSeconds(deps.clock)),
      remember: isRemember,
      identityProviderSessionId: flow.identityProviderSessionId ?? '',
      expiresAt: new Date(deps.clock.now().getTime() + deps.config.authenticationSessionTtlMs)
    })
    // remember=false forgets any previously remembered session of this browser.
    if (!isRemember) {
      const previous = deps.cookies.sessionId(input.cookies)
      if (previous !== undefined && previous !== flow.loginSessionId) await deps.store.deleteLoginSession(previous)
      if (previous !== undefined) cookies.push(deps.cookies.clearSessionCookie())
    }
  }
  if (isRemember && (!flow.loginSkip || flow.extendSessionLifespan === true)) {
    const rememberFor = flow.rememberFor ?? 0
    const maxAge = rememberFor > 0 ? rememberFor : Math.floor(deps.config.authenticationSessionTtlMs / 1000)
    cookies.push(deps.cookies.sessionCookie(flow.loginSessionId, Math.min(maxAge, MAX_SESSION_COOKIE_SECONDS)))
    if (flow.loginSkip) {
      const session = await deps.store.getLoginSession(flow.loginSessionId)
      if (session !== undefined) await deps.store.upsertLoginSession({ ...session, expiresAt: new Date(deps.clock.now().getTime() + maxAge * 1000) })
    }
  }
  flow.state = FlowState.LOGIN_USED
  return { flow, cookies }
}
