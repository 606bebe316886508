// Mints and stores tokens of one grant: opaque or JWT access tokens, refresh tokens, codes and ID tokens.
import { effectiveLifespanMs, type LifespanToken, type OAuth2Client } from '../clients/client.js'
import { ACCESS_TOKEN_SET, ID_TOKEN_SET } from '../keys/keys.service.js'
import { signJwt, type SigningKey } from '../keys/signing.js'
import { signIdToken } from '../oidc/id-token.js'
import { accessTokenClaims } from './jwt-access-token.js'
import { signatureHash, type OpaqueKind, type OpaqueTokenStrategy } from './opaque-token.js'
import type { SessionCodec } from './session-codec.js'
import type { TokensConfig } from './tokens.config.js'
import type { TokenWrites } from './tokens.store.js'
import type { RefreshRecord, TokenRecord, TokenSession } from './token.js'

/** Everything the tokens of one grant share. */
export interface IssueGrant {
  requestId: string
  challengeId: string | null
  client: OAuth2Client
  requestedScope: readonly string[]
  grantedScope: readonly string[]
  requestedAudience: readonly string[]
  grantedAudience: readonly string[]
  session: TokenSession
  formData: string
  now: Date
  /** The grant type deciding per-client lifespans (hydra-api.md §2.2). */
  grantType: string
}

export interface Issued { token: string, record: TokenRecord }

/** Keys resolved before a transaction starts (see keysFor). */
export interface SigningKeys { access?: SigningKey, id?: SigningKey }

// Far enough to mean "never" on every dialect (MySQL DATETIME ends at 9999).
const NEVER = new Date(Date.UTC(9999, 0, 1))

export interface TokenMinterDeps {
  config: TokensConfig
  opaque: OpaqueTokenStrategy
  codec: SessionCodec
  signingKey: (set: string) => Promise<SigningKey>
}

export class TokenMinter {
  private readonly deps: TokenMinterDeps

  constructor (deps: TokenMinterDeps) {
    this.deps = deps
  }

  /** The stored signature hash of a well-formed opaque token signed by us, else undefined. */
  verifyOpaque (kind: OpaqueKind, token: string): string | undefined {
    return this.deps.opaque.verify(kind, token)
  }

  lifespanMs (grant: IssueGrant, token: LifespanToken | 'authorize_code'): number {
    const { config } = this.deps
    if (token === 'authorize_code') return config.authCodeTtlMs
    const fallback = token === 'access_token' ? config.accessTokenTtlMs : token === 'refresh_token' ? config.refreshTokenTtlMs : config.idTokenTtlMs
    return effectiveLifespanMs(grant.client, grant.grantType, token, fallback)
  }

  private record (grant: IssueGrant, signature: string, lifespanMs: number): TokenRecord {
    return {
      signature,
      requestId: grant.requestId,
      challengeId: grant.challengeId,
      requestedAt: grant.now,
      clientId: grant.client.id,
      requestedScope: [...grant.requestedScope],
      grantedScope: [...grant.grantedScope],
      requestedAudience: [...grant.requestedAudience],
      grantedAudience: [...grant.grantedAudience],
      formData: grant.formData,
      sessionData: this.deps.codec.encode(grant.session),
      subject: grant.session.subject,
      isActive: true,
      expiresAt: lifespanMs < 0 ? NEVER : new Date(grant.now.getTime() + lifespanMs)
    }
  }

  isJwtStrategy (client: OAuth2Client): boolean {
    const strategy = client.accessTokenStrategy === '' ? this.deps.config.accessTokenStrategy : client.accessTokenStrategy
    return strategy === 'jwt'
  }

  /**
   * The signing keys a grant will need, loaded up front: loading may read the database, which must not happen
   * inside a transaction (SQLite has one connection).
   */
  async keysFor (client: OAuth2Client, isIdTokenWanted: boolean): Promise<SigningKeys> {
    return {
      ...(this.isJwtStrategy(client) ? { access: await this.deps.signingKey(ACCESS_TOKEN_SET) } : {}),
      ...(isIdTokenWanted ? { id: await this.deps.signingKey(ID_TOKEN_SET) } : {})
    }
  }

  /** Mints an access token (format per global or client strategy) and its row; the caller stores the row. */
  async mintAccess (grant: IssueGrant, keys: SigningKeys = {}): Promise<Issued> {
    const lifespan = this.lifespanMs(grant, 'access_token')
    if (!this.isJwtStrategy(grant.client)) {
      const minted = this.deps.opaque.mint('access_token')
      return { token: minted.token, record: this.record(grant, minted.signature, lifespan) }
    }
    const { config } = this.deps
    const claims = accessTokenClaims({
      issuer: config.issuer,
      subject: grant.session.subject,
      clientId: grant.client.id,
      audience: grant.grantedAudience,
      scope: grant.grantedScope,
      issuedAtMs: grant.now.getTime(),
      expiresAtMs: grant.now.getTime() + lifespan,
      ext: grant.session.accessTokenClaims
    }, config)
    const token = signJwt(keys.access ?? await this.deps.signingKey(ACCESS_TOKEN_SET), claims)
    // The signature segment is hashed and stored, so introspection and revocation treat JWTs like opaque tokens.
    return { token, record: this.record(grant, signatureHash(token.slice(token.lastIndexOf('.') + 1)), lifespan) }
  }

  mintRefresh (grant: IssueGrant, accessSignature: string | null): { token: string, record: RefreshRecord } {
    const minted = this.deps.opaque.mint('refresh_token')
    const record = this.record(grant, minted.signature, this.lifespanMs(grant, 'refresh_token'))
    return { token: minted.token, record: { ...record, firstUsedAt: null, usedTimes: 0, accessTokenSignature: accessSignature } }
  }

  mintCode (grant: IssueGrant): Issued {
    const minted = this.deps.opaque.mint('authorize_code')
    return { token: minted.token, record: this.record(grant, minted.signature, this.lifespanMs(grant, 'authorize_code')) }
  }

  async idToken (grant: IssueGrant, accessToken: string | undefined, keys: SigningKeys = {}): Promise<string> {
    return signIdToken(keys.id ?? await this.deps.signingKey(ID_TOKEN_SET), {
      issuer: this.deps.config.issuer,
      clientId: grant.client.id,
      session: grant.session,
      issuedAtMs: grant.now.getTime(),
      lifespanMs: this.lifespanMs(grant, 'id_token'),
      ...(accessToken === undefined ? {} : { accessToken })
    })
  }

  /** Access (+ refresh when offline was granted and allowed, + ID token when openid) stored in `writes`. */
  async issueTokens (writes: TokenWrites, grant: IssueGrant, options: { isRefreshAllowed: boolean, isIdTokenWanted: boolean, keys: SigningKeys }): Promise<TokenResponse> {
    const access = await this.mintAccess(grant, options.keys)
    await writes.insertAccess(access.record)
    const response: TokenResponse = {
      access_token: access.token,
      expires_in: Math.max(0, Math.round((access.record.expiresAt.getTime() - grant.now.getTime()) / 1000)),
      scope: grant.grantedScope.join(' '),
      token_type: 'bearer'
    }
    if (options.isRefreshAllowed) {
      const refresh = this.mintRefresh(grant, access.record.signature)
      await writes.insertRefresh(refresh.record)
      response.refresh_token = refresh.token
    }
    if (options.isIdTokenWanted) response.id_token = await this.idToken(grant, access.token, options.keys)
    return response
  }
}

/** RFC 6749 §5.1 (+ OIDC id_token). */
export interface TokenResponse {
  access_token: string
  expires_in: number
  id_token?: string
  refresh_token?: string
  scope: string
  token_type: 'bearer'
}
