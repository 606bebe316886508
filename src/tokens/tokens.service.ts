// The token side of Warden: /oauth2/token dispatch, introspection, revocation and token lookups for userinfo.
import { effectiveGrantTypes, type OAuth2Client } from '../clients/client.js'
import { invalidRequest, unauthorizedClient, unsupportedGrantType } from '../errors/catalogue.js'
import type { Clock } from '../lib/clock.js'
import type { ClientAuthenticator, PresentedCredentials } from './client-authentication.js'
import { GRANTS } from './grants/index.js'
import type { GrantTools } from './grants/grant.js'
import { isJwtShaped, type JwtSignatureVerifier } from './jwt-access-token.js'
import { signatureHash } from './opaque-token.js'
import type { TokenResponse } from './token-minter.js'
import { splitList, type TokenRecord, type TokenSession } from './token.js'

export type TokenForm = Readonly<Record<string, string | readonly string[]>>

export interface TokensServiceDeps {
  tools: GrantTools
  authenticator: ClientAuthenticator
  jwtVerifier: JwtSignatureVerifier
  clock: Clock
}

/** A stored, active, unexpired token and its decoded session. */
export interface ActiveToken {
  use: 'access_token' | 'refresh_token'
  record: TokenRecord
  session: TokenSession
}

/** RFC 7662 §2.2 with Hydra's fields (hydra-api.md §4.9). */
export interface Introspection {
  active: boolean
  scope?: string
  client_id?: string
  sub?: string
  obfuscated_subject?: string
  exp?: number
  iat?: number
  nbf?: number
  aud?: string[]
  iss?: string
  token_type?: string
  token_use?: string
  ext?: Record<string, unknown>
}

// Parameters that may appear once only (RFC 6749 §3.2); audience may repeat (hydra-api.md §4.16).
const REPEATABLE = new Set(['audience'])

/** Single-valued view of a form; a repeated parameter (other than audience) is invalid_request. */
export function singleValued (form: TokenForm): { values: Record<string, string>, audience: string[] } {
  const values: Record<string, string> = {}
  let audience: string[] = []
  for (const [name, value] of Object.entries(form)) {
    if (name === 'audience') { audience = (Array.isArray(value) ? value : [value]).flatMap((v: string) => splitList(v)); continue }
    if (Array.isArray(value)) {
      if (!REPEATABLE.has(name)) throw invalidRequest(`The parameter '${name}' must not be included more than once.`)
    } else {
      values[name] = value as string
    }
  }
  return { values, audience }
}

export class TokensService {
  private readonly deps: TokensServiceDeps

  constructor (deps: TokensServiceDeps) {
    this.deps = deps
  }

  get tools (): GrantTools { return this.deps.tools }

  /** POST /oauth2/token: validates, authenticates the client and runs the grant. */
  async exchange (form: TokenForm, authorization: string | undefined): Promise<TokenResponse> {
    const { values, audience } = singleValued(form)
    const grantType = values['grant_type'] ?? ''
    if (grantType === '') throw invalidRequest('The grant_type parameter is missing.')
    const grant = GRANTS.get(grantType)
    if (grant === undefined) throw unsupportedGrantType(`The grant type '${grantType}' is not supported.`)
    const client = await this.deps.authenticator.authenticate({ authorization, form: values })
    if (!effectiveGrantTypes(client).includes(grantType)) {
      throw unauthorizedClient(`The OAuth 2.0 Client is not allowed to use authorization grant '${grantType}'.`)
    }
    return await grant.handle(this.deps.tools, { client, form: values, audience, now: this.deps.clock.now() })
  }

  async authenticateClient (credentials: PresentedCredentials): Promise<OAuth2Client> {
    return await this.deps.authenticator.authenticate(credentials)
  }

  private isLive (record: TokenRecord): boolean {
    return record.isActive && record.expiresAt.getTime() > this.deps.clock.now().getTime()
  }

  /** The signature hash of a presented access token (opaque or JWT we signed), or undefined. */
  private async accessSignature (token: string): Promise<string | undefined> {
    if (isJwtShaped(token)) {
      const payload = await this.deps.jwtVerifier.verify(token)
      return payload === undefined ? undefined : signatureHash(token.slice(token.lastIndexOf('.') + 1))
    }
    return this.deps.tools.minter.verifyOpaque('access_token', token)
  }

  private async withSession (use: ActiveToken['use'], record: TokenRecord | undefined): Promise<ActiveToken | undefined> {
    if (record === undefined || !this.isLive(record)) return undefined
    const session = this.deps.tools.codec.decode(record.sessionData)
    return session === undefined ? undefined : { use, record, session }
  }

  async findActiveAccessToken (token: string): Promise<ActiveToken | undefined> {
    const signature = await this.accessSignature(token)
    return signature === undefined ? undefined : await this.withSession('access_token', await this.deps.tools.store.findAccess(signature))
  }

  async findActiveRefreshToken (token: string): Promise<ActiveToken | undefined> {
    const signature = this.deps.tools.minter.verifyOpaque('refresh_token', token)
    return signature === undefined ? undefined : await this.withSession('refresh_token', await this.deps.tools.store.findRefresh(signature))
  }

  /** Access first unless the hint names refresh_token (RFC 7662 §2.1 / RFC 7009 §2.1: hints only order lookups). */
  async findActiveToken (token: string, hint: string | undefined): Promise<ActiveToken | undefined> {
    if (hint === 'refresh_token') return await this.findActiveRefreshToken(token) ?? await this.findActiveAccessToken(token)
    return await this.findActiveAccessToken(token) ?? await this.findActiveRefreshToken(token)
  }

  /** POST /admin/oauth2/introspect. */
  async introspect (form: TokenForm): Promise<Introspection> {
    const { values } = singleValued(form)
    const token = values['token'] ?? ''
    if (token === '') throw invalidRequest('The token parameter is missing.')
    const found = await this.findActiveToken(token, values['token_type_hint'])
    if (found === undefined) return { active: false }
    const { record, session } = found
    const required = splitList(values['scope'])
    const { scopeAllowed } = this.deps.tools
    if (!required.every((scope) => scopeAllowed(record.grantedScope, scope))) return { active: false }
    const issuedAt = Math.floor(record.requestedAt.getTime() / 1000)
    const result: Introspection = {
      active: true,
      client_id: record.clientId,
      sub: session.subject,
      exp: Math.floor(record.expiresAt.getTime() / 1000),
      iat: issuedAt,
      nbf: issuedAt,
      aud: record.grantedAudience,
      iss: this.deps.tools.config.issuer,
      token_type: 'Bearer',
      token_use: found.use
    }
    if (record.grantedScope.length > 0) result.scope = record.grantedScope.join(' ')
    if (session.clientSubject !== '' && session.clientSubject !== session.subject) result.obfuscated_subject = session.clientSubject
    if (Object.keys(session.accessTokenClaims).length > 0) result.ext = session.accessTokenClaims
    return result
  }

  /** POST /oauth2/revoke (RFC 7009): unknown or foreign tokens are silently ignored. */
  async revoke (form: TokenForm, authorization: string | undefined): Promise<void> {
    const { values } = singleValued(form)
    const token = values['token'] ?? ''
    if (token === '') throw invalidRequest('The token parameter is missing.')
    const client = await this.deps.authenticator.authenticate({ authorization, form: values })
    const hint = values['token_type_hint']
    const refreshFirst = hint !== 'access_token'
    const { store, minter } = this.deps.tools
    const lookups = [
      async () => { const s = minter.verifyOpaque('refresh_token', token); return s === undefined ? undefined : await store.findRefresh(s) },
      async () => { const s = await this.accessSignature(token); return s === undefined ? undefined : await store.findAccess(s) }
    ]
    if (!refreshFirst) lookups.reverse()
    for (const lookup of lookups) {
      const record = await lookup()
      if (record === undefined) continue
      // Another client's token: not revoked, and the caller learns nothing (RFC 7009 §2.2).
      if (record.clientId === client.id) await store.revokeChain(record.requestId)
      return
    }
  }

  /** DELETE /admin/oauth2/tokens?client_id=: every access token of the client. */
  async deleteClientAccessTokens (clientId: string): Promise<void> {
    if (clientId === '') throw invalidRequest('The client_id query parameter is missing.')
    await this.deps.tools.store.deleteClientAccessTokens(clientId)
  }
}
