// oauth2.token_hook and the legacy oauth2.refresh_token_hook (hydra-api.md §4.12): before the tokens of a grant are
// minted, a webhook sees the request and its session and may replace the access-token and ID-token claims, or refuse.
//
//   grant handler ──► TokenHooks.apply ──► [refresh_token grant only] refresh_token_hook ──► token_hook ──► mint
//                         │ 204: session unchanged · 200: claims replaced · 403: access_denied · else: server_error
import type { OAuth2Client } from '../clients/client.js'
import { accessDenied, serverError } from '../errors/catalogue.js'
import type { OAuth2Error } from '../errors/oauth2-error.js'
import { OUTGOING_TIMEOUT_MS, fetchWithRetries, readBodyCapped } from '../lib/outgoing-http.js'
import type { TokenSession } from './token.js'
import type { HookTarget, TokensConfig } from './tokens.config.js'

/** The grant being issued, as the hook is told about it (the fields of IssueGrant it needs). */
export interface HookedGrant {
  client: OAuth2Client
  grantType: string
  challengeId: string | null
  requestedScope: readonly string[]
  grantedScope: readonly string[]
  grantedAudience: readonly string[]
  session: TokenSession
  now: Date
}

export interface TokenHooksDeps {
  config: Pick<TokensConfig, 'issuer' | 'excludeNotBeforeClaim' | 'allowedTopLevelClaims' | 'mirrorTopLevelClaims' | 'preserveExtClaims' | 'tokenHook' | 'refreshTokenHook'>
  /** `clients.http.disallow_private_ip_ranges`: why a URL (keyed by its config key) may not be called, or undefined. */
  checkUrls?: (fields: Record<string, string>) => Promise<string | undefined>
  fetch?: typeof fetch
  /** For all attempts of one call (Hydra: 30 s). */
  timeoutMs?: number
  /** Pauses before retries (Hydra: 1 s, 2 s). */
  retryDelaysMs?: readonly number[]
}

// Hydra reads at most 5 MiB of a hook's answer.
const MAX_RESPONSE_BYTES = 5 * 1024 * 1024
// Of the request form, Hydra shows the hook only these (fosite's Sanitize with "assertion" allowed).
const PAYLOAD_FIELDS = ['assertion', 'grant_type', 'response_type', 'scope', 'client_id']
// Go's zero time.Time, which Hydra's session shows for instants it has not set.
const GO_ZERO_TIME = '0001-01-01T00:00:00Z'

const unreachable = (debug: string): OAuth2Error => serverError('The token hook could not be called.').withDebug(debug)
const failed = (debug: string): OAuth2Error => serverError('The token hook answered with an error.').withDebug(debug)

export class TokenHooks {
  private readonly deps: TokenHooksDeps

  constructor (deps: TokenHooksDeps) {
    this.deps = deps
  }

  /** Whether any hook would be called for `grantType` (the refresh grant reads its row early only then). */
  isCalledFor (grantType: string): boolean {
    const { tokenHook, refreshTokenHook } = this.deps.config
    return tokenHook !== undefined || (refreshTokenHook !== undefined && grantType === 'refresh_token')
  }

  /**
   * The session to mint `grant` with: the legacy refresh hook (refresh_token grants only) runs first, then the token
   * hook, each seeing the session as the one before left it. Throws the OAuth2Error the token endpoint answers with.
   */
  async apply (grant: HookedGrant, form: Readonly<Record<string, string>>): Promise<TokenSession> {
    const { tokenHook, refreshTokenHook } = this.deps.config
    let session = grant.session
    if (refreshTokenHook !== undefined && grant.grantType === 'refresh_token') {
      session = await this.call(refreshTokenHook, legacyRefreshHookBody({ ...grant, session }, this.hydraSession({ ...grant, session })), session)
    }
    if (tokenHook !== undefined) {
      session = await this.call(tokenHook, tokenHookBody({ ...grant, session }, form, this.hydraSession({ ...grant, session })), session)
    }
    return session
  }

  private async call (target: HookTarget, body: unknown, session: TokenSession): Promise<TokenSession> {
    const refused = await this.deps.checkUrls?.({ [target.key]: target.url })
    if (refused !== undefined) throw unreachable(`clients.http.disallow_private_ip_ranges: ${refused}`)
    const headers = new Headers()
    if (target.apiKey?.in === 'header') headers.set(target.apiKey.name, target.apiKey.value)
    if (target.apiKey?.in === 'cookie') headers.set('cookie', `${target.apiKey.name}=${target.apiKey.value}`)
    headers.set('content-type', 'application/json; charset=UTF-8')
    const signal = AbortSignal.timeout(this.deps.timeoutMs ?? OUTGOING_TIMEOUT_MS)
    // Redirects are not followed: their target would escape the private-IP check.
    const outcome = await fetchWithRetries(target.url, { method: 'POST', headers, body: JSON.stringify(body), redirect: 'manual' }, {
      signal,
      ...(this.deps.retryDelaysMs === undefined ? {} : { retryDelaysMs: this.deps.retryDelaysMs }),
      ...(this.deps.fetch === undefined ? {} : { fetch: this.deps.fetch })
    })
    const tries = `${outcome.attempts} attempt(s)`
    if ('failure' in outcome) throw unreachable(`POST ${target.url}: ${outcome.failure} (${tries})`)
    const { response } = outcome
    if (response.status !== 200) await response.body?.cancel()
    if (outcome.isExhausted) throw unreachable(`POST ${target.url}: HTTP ${response.status} (giving up after ${tries})`)
    if (response.status === 204) return session
    if (response.status === 403) throw accessDenied('The token hook denied the request.').withDebug(`POST ${target.url}: HTTP 403`)
    if (response.status !== 200) throw failed(`POST ${target.url}: HTTP ${response.status}`)
    let claims: { accessToken: Record<string, unknown>, idToken: Record<string, unknown> }
    try {
      claims = hookClaims(JSON.parse((await readBodyCapped(response, MAX_RESPONSE_BYTES)).toString('utf8')))
    } catch (error) {
      throw failed(`POST ${target.url}: the answer could not be decoded: ${error instanceof Error ? error.message : String(error)}`)
    }
    // As Hydra: the answer replaces both claim sets (a missing one empties it); subject and grants stay.
    return { ...session, accessTokenClaims: claims.accessToken, idTokenClaims: claims.idToken }
  }

  /**
   * The session as Hydra's hooks receive it (its oauth2.Session JSON): `extra` holds the access-token claims,
   * `id_token.id_token_claims.ext` the ID-token claims. Instants Warden sets only when minting show as Go's zero time.
   */
  private hydraSession (grant: HookedGrant): Record<string, unknown> {
    const { session, client } = grant
    const { config } = this.deps
    const hasEndUser = session.originGrant === 'authorization_code'
    const iso = (ms: number | null): string => ms === null ? GO_ZERO_TIME : new Date(ms).toISOString()
    return {
      id_token: {
        id_token_claims: {
          jti: '',
          iss: config.issuer,
          sub: hasEndUser ? session.clientSubject : '',
          aud: hasEndUser ? [client.id] : [],
          nonce: session.nonce,
          exp: GO_ZERO_TIME,
          iat: grant.now.toISOString(),
          rat: iso(session.requestedAtMs ?? grant.now.getTime()),
          auth_time: iso(session.authTimeMs),
          at_hash: '',
          acr: session.acr,
          amr: session.amr.length === 0 ? null : [...session.amr],
          c_hash: '',
          ext: { ...session.idTokenClaims, ...(session.sid === '' ? {} : { sid: session.sid }) }
        },
        headers: { extra: {} },
        expires_at: {},
        ...(session.subject === '' ? {} : { subject: session.subject })
      },
      extra: session.accessTokenClaims,
      kid: '',
      client_id: client.id,
      consent_challenge: grant.challengeId ?? '',
      exclude_not_before_claim: config.excludeNotBeforeClaim,
      allowed_top_level_claims: [...config.allowedTopLevelClaims],
      mirror_top_level_claims: config.mirrorTopLevelClaims,
      preserve_ext_claims: config.preserveExtClaims
    }
  }
}

/** `oauth2.token_hook`'s body: Hydra's TokenHookRequest. */
function tokenHookBody (grant: HookedGrant, form: Readonly<Record<string, string>>, session: Record<string, unknown>): unknown {
  const payload: Record<string, string[]> = {}
  for (const field of PAYLOAD_FIELDS) {
    const value = form[field]
    if (value !== undefined) payload[field] = [value]
  }
  return {
    session,
    request: {
      client_id: grant.client.id,
      requested_scopes: [...grant.requestedScope],
      granted_scopes: [...grant.grantedScope],
      granted_audience: [...grant.grantedAudience],
      grant_types: [grant.grantType],
      payload
    }
  }
}

/** `oauth2.refresh_token_hook`'s body: Hydra's RefreshTokenHookRequest, which repeats the requester's fields at the top. */
function legacyRefreshHookBody (grant: HookedGrant, session: Record<string, unknown>): unknown {
  const requester = {
    client_id: grant.client.id,
    granted_scopes: [...grant.grantedScope],
    granted_audience: [...grant.grantedAudience],
    grant_types: [grant.grantType]
  }
  return {
    subject: grant.session.subject,
    session,
    requester,
    client_id: requester.client_id,
    granted_scopes: requester.granted_scopes,
    granted_audience: requester.granted_audience
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** `{"session": {"access_token": {...}, "id_token": {...}}}`; null or missing parts are empty; other shapes throw. */
function hookClaims (answer: unknown): { accessToken: Record<string, unknown>, idToken: Record<string, unknown> } {
  if (!isObject(answer)) throw new Error('expected a JSON object')
  const session = answer['session'] ?? null
  if (session !== null && !isObject(session)) throw new Error('"session" must be an object')
  const part = (name: string): Record<string, unknown> => {
    const value = session?.[name] ?? null
    if (value === null) return {}
    if (!isObject(value)) throw new Error(`"session.${name}" must be an object`)
    return value
  }
  return { accessToken: part('access_token'), idToken: part('id_token') }
}
