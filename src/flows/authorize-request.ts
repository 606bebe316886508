// Validates an authorization request in Hydra's order (hydra-api.md §3.2, §4.15, §9.4) and says where errors go.
import { clientScopes, effectiveGrantTypes, effectiveResponseTypes, isPublicClient, type OAuth2Client } from '../clients/client.js'
import {
  insufficientEntropy, invalidRequest, invalidScope, invalidState, registrationNotSupported, requestNotSupported,
  requestUriNotSupported, unauthorizedClient, unsupportedResponseMode, unsupportedResponseType
} from '../errors/catalogue.js'
import { OAuth2Error } from '../errors/oauth2-error.js'
import type { AuthorizationRequest } from './authorization-handover.js'
import { firstRepeated, single, spaceList, type ParamValues } from './authorize-params.js'
import { resolveRedirectUri } from './redirect-uri.js'
import { audienceAllowed, type ScopeMatcher } from '../tokens/scope-strategy.js'

export interface AuthorizeRules {
  matchScope: ScopeMatcher
  pkceEnforced: boolean
  pkceEnforcedForPublicClients: boolean
  /**
   * Response types whose responder exists. Only `code` today; implicit and hybrid flows are added by listing
   * their types here once the AuthorizationResponder issues their tokens.
   */
  implementedResponseTypes: ReadonlySet<string>
}

export type ResponseMode = AuthorizationRequest['responseMode']

/** Where an error of this request is delivered: the client's redirect URI once it is known to be valid. */
export interface Delivery {
  redirectUri: string
  responseMode: ResponseMode
  state: string
}

/** An authorization endpoint failure, with the delivery target when the redirect URI was validated. */
export class AuthorizeFailure extends Error {
  readonly oauth2: OAuth2Error
  readonly delivery: Delivery | undefined
  constructor (oauth2: OAuth2Error, delivery: Delivery | undefined) {
    super(oauth2.message)
    this.name = 'AuthorizeFailure'
    this.oauth2 = oauth2
    this.delivery = delivery
  }
}

/** The validated request plus the OIDC parameters that steer login and consent. */
export interface ValidatedAuthorize {
  request: Omit<AuthorizationRequest, 'id'>
  delivery: Delivery
  prompt: ReadonlySet<string>
  /** undefined when max_age was not sent. */
  maxAgeSeconds: number | undefined
  idTokenHint: string
  loginHint: string
  acrValues: string[]
  uiLocales: string[]
  display: string
  identitySchema: string
}

const PROMPTS = new Set(['none', 'login', 'consent', 'select_account', 'registration'])
const MIN_ENTROPY = 8
// Parameters never copied into form_data: they are secrets or internal.
const NOT_IN_FORM = new Set(['login_verifier', 'consent_verifier', 'client_secret', 'id_token_hint'])

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((item) => b.includes(item))

function responseModeOf (params: ParamValues, responseTypes: readonly string[]): ResponseMode {
  const mode = single(params, 'response_mode')
  if (mode === '') return sameSet(responseTypes, ['code']) ? 'query' : 'fragment'
  if (mode !== 'query' && mode !== 'fragment' && mode !== 'form_post') throw unsupportedResponseMode(`Request with unsupported response_mode "${mode}".`)
  // OAuth 2.0 Multiple Response Types §5: tokens must never travel in the query.
  if (mode === 'query' && !sameSet(responseTypes, ['code']) && !sameSet(responseTypes, ['none'])) {
    throw invalidRequest('Insecure response_mode "query": the response type would put tokens in the query.')
  }
  return mode
}

/** Step 2: the redirect URI; until it is valid every error goes to the error page. */
function resolveDelivery (client: OAuth2Client, params: ParamValues): Delivery {
  // Lenient reads: a repeated scope or response_type is reported later, to the redirect URI.
  const loose = (name: string): string[] => (params.get(name) ?? []).join(' ').split(' ').filter((item) => item !== '')
  const resolved = resolveRedirectUri(client.redirectUris ?? [], single(params, 'redirect_uri'), loose('scope').includes('openid'))
  if (!resolved.ok) throw invalidRequest(resolved.hint)
  const responseTypes = loose('response_type')
  let responseMode: ResponseMode = sameSet(responseTypes, ['code']) || responseTypes.length === 0 ? 'query' : 'fragment'
  try { responseMode = responseModeOf(params, responseTypes) } catch { /* reported in order below */ }
  return { redirectUri: resolved.uri, responseMode, state: (params.get('state') ?? [''])[0] as string }
}

function checkResponseType (client: OAuth2Client, responseTypes: string[], rules: AuthorizeRules): void {
  if (responseTypes.length === 0) throw unsupportedResponseType('The request is missing the response_type parameter.')
  const allowed = effectiveResponseTypes(client).map((entry) => entry.split(' ').filter((part) => part !== ''))
  if (!allowed.some((entry) => sameSet(entry, responseTypes))) {
    throw unsupportedResponseType(`The client is not allowed to request response_type "${responseTypes.join(' ')}".`)
  }
  if (responseTypes.length !== 1 || !rules.implementedResponseTypes.has(responseTypes[0] as string)) {
    throw unsupportedResponseType(`Warden does not implement response_type "${responseTypes.join(' ')}" yet; use "code".`)
  }
  if (responseTypes.includes('code') && !effectiveGrantTypes(client).includes('authorization_code')) {
    throw unauthorizedClient('The OAuth 2.0 Client is not allowed to use authorization grant "authorization_code".')
  }
}

function checkPkce (client: OAuth2Client, params: ParamValues, rules: AuthorizeRules): void {
  const challenge = single(params, 'code_challenge')
  const method = single(params, 'code_challenge_method')
  if (challenge === '') {
    if (method !== '') throw invalidRequest('The code_challenge_method parameter was sent without a code_challenge.')
    if (rules.pkceEnforced) throw invalidRequest('Clients must include a code_challenge when performing the authorize code flow, but it is missing.')
    if (rules.pkceEnforcedForPublicClients && isPublicClient(client)) {
      throw invalidRequest('This client must include a code_challenge when performing the authorize code flow, but it is missing.')
    }
    return
  }
  if (method === '' || method === 'plain') throw invalidRequest('Clients must use code_challenge_method=S256, plain is not allowed.')
  if (method !== 'S256') throw invalidRequest(`The code_challenge_method "${method}" is not supported, use S256.`)
}

function checkPrompt (params: ParamValues): Set<string> {
  const prompt = spaceList(params, 'prompt')
  const unknown = prompt.find((value) => !PROMPTS.has(value))
  if (unknown !== undefined) throw invalidRequest(`Used unknown value "${unknown}" for prompt parameter.`)
  if (prompt.includes('none') && prompt.length > 1) throw invalidRequest('Parameter prompt was set to none, but contains other values as well which is not allowed.')
  return new Set(prompt)
}

function checkMaxAge (params: ParamValues): number | undefined {
  const raw = single(params, 'max_age')
  if (raw === '') return undefined
  if (!/^[0-9]{1,10}$/.test(raw)) throw invalidRequest('The max_age parameter must be a non-negative integer.')
  return Number(raw)
}

function formOf (params: ParamValues): Record<string, string> {
  const form: Record<string, string> = {}
  for (const [key, list] of params) if (!NOT_IN_FORM.has(key)) form[key] = list.join(' ')
  return form
}

/** Steps 3..n in Hydra's order; every error here is delivered to the (now valid) redirect URI. */
function validateInOrder (client: OAuth2Client, params: ParamValues, delivery: Delivery, rules: AuthorizeRules, now: Date): ValidatedAuthorize {
  const repeated = firstRepeated(params)
  if (repeated !== '') throw invalidRequest(`The parameter '${repeated}' must not be included more than once.`)
  if (single(params, 'request') !== '') throw requestNotSupported('Warden does not support request objects.')
  if (single(params, 'request_uri') !== '') throw requestUriNotSupported('Warden does not support request_uri.')
  if (single(params, 'registration') !== '') throw registrationNotSupported()
  const responseTypes = spaceList(params, 'response_type')
  const responseMode = responseModeOf(params, responseTypes)
  const scope = spaceList(params, 'scope')
  const allowedScope = clientScopes(client)
  const denied = scope.filter((requested) => !rules.matchScope(allowedScope, requested))
  if (denied.length > 0) throw invalidScope(`The OAuth 2.0 Client is not allowed to request scope "${denied[0] ?? ''}".`)
  const audience = spaceList(params, 'audience')
  const deniedAudience = audience.find((entry) => !audienceAllowed(client.audience ?? [], entry))
  if (deniedAudience !== undefined) throw invalidRequest(`Requested audience "${deniedAudience}" has not been whitelisted by the OAuth 2.0 Client.`)
  checkResponseType(client, responseTypes, rules)
  const state = single(params, 'state')
  if (state.length < MIN_ENTROPY) throw invalidState(`Request parameter "state" must be at least be ${MIN_ENTROPY} characters long to ensure sufficient entropy.`)
  const nonce = single(params, 'nonce')
  if (nonce !== '' && nonce.length < MIN_ENTROPY) throw insufficientEntropy(`Parameter "nonce" is set but does not satisfy the minimum entropy of ${MIN_ENTROPY} characters.`)
  const prompt = checkPrompt(params)
  const maxAgeSeconds = checkMaxAge(params)
  checkPkce(client, params, rules)
  const codeChallenge = single(params, 'code_challenge')
  return {
    request: {
      clientId: client.id,
      redirectUriParameter: single(params, 'redirect_uri'),
      redirectUri: delivery.redirectUri,
      responseTypes,
      responseMode,
      state,
      nonce: nonce === '' ? undefined : nonce,
      codeChallenge: codeChallenge === '' ? undefined : codeChallenge,
      codeChallengeMethod: codeChallenge === '' ? undefined : single(params, 'code_challenge_method'),
      requestedScope: scope,
      requestedAudience: audience,
      requestedAt: now,
      form: formOf(params)
    },
    delivery: { ...delivery, responseMode, state },
    prompt,
    maxAgeSeconds,
    idTokenHint: single(params, 'id_token_hint'),
    loginHint: single(params, 'login_hint'),
    acrValues: spaceList(params, 'acr_values'),
    uiLocales: spaceList(params, 'ui_locales'),
    display: single(params, 'display'),
    identitySchema: single(params, 'identity_schema')
  }
}

/**
 * Validates `params` for `client` (undefined: unknown client). Throws AuthorizeFailure whose `delivery` is set
 * only once the redirect URI matched a registered one, so a mismatching URI is never redirected to.
 */
export function validateAuthorizeRequest (client: OAuth2Client | undefined, params: ParamValues, rules: AuthorizeRules, now: Date): ValidatedAuthorize {
  let delivery: Delivery | undefined
  try {
    if (client === undefined) {
      throw new OAuth2Error({ error: 'invalid_client', statusCode: 401, description: 'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).', hint: 'The requested OAuth 2.0 Client does not exist.' })
    }
    delivery = resolveDelivery(client, params)
    return validateInOrder(client, params, delivery, rules, now)
  } catch (error) {
    if (error instanceof OAuth2Error) throw new AuthorizeFailure(error, delivery)
    throw error
  }
}
