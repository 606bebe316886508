// What a grant handler is and what it receives: one module per grant_type, dispatched from a map (grants/index.ts).
import type { OAuth2Client } from '../../clients/client.js'
import type { Clock } from '../../lib/clock.js'
import type { ScopeMatcher } from '../scope-strategy.js'
import type { SessionCodec } from '../session-codec.js'
import type { TokenHooks } from '../token-hook.js'
import { timeOrderedHex } from '../../lib/random.js'
import type { IssueGrant, TokenMinter, TokenResponse } from '../token-minter.js'
import { emptySession } from '../token.js'
import type { TokensConfig } from '../tokens.config.js'
import type { TokensStore } from '../tokens.store.js'
import type { JwtBearerTools } from './jwt-bearer.js'

/** Shared tools every grant uses. */
export interface GrantTools {
  config: TokensConfig
  store: TokensStore
  minter: TokenMinter
  codec: SessionCodec
  clock: Clock
  scopeAllowed: ScopeMatcher
  /** Reloads a client (refresh checks the client's current scopes). */
  getClient: (id: string) => Promise<OAuth2Client>
  /** oauth2.token_hook / oauth2.refresh_token_hook: every grant passes its session through them before minting. */
  hooks: TokenHooks
  /** The RFC 7523 grant's trusted issuers and settings; without them that grant is unsupported. */
  jwtBearer?: JwtBearerTools
}

export interface GrantRequest {
  client: OAuth2Client
  /** The token request form, every parameter single-valued. */
  form: Readonly<Record<string, string>>
  /** Multi-valued parameters (audience may be repeated). */
  audience: readonly string[]
  now: Date
}

export interface GrantHandler {
  readonly grantType: string
  handle(tools: GrantTools, request: GrantRequest): Promise<TokenResponse>
}

const SECRET_FIELDS = ['client_secret', 'client_assertion', 'code_verifier', 'code', 'refresh_token', 'password', 'assertion']

/** Hydra's `form_data`: the request form without credentials or tokens. */
export function sanitisedForm (form: Readonly<Record<string, string>>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(form)) if (!SECRET_FIELDS.includes(key)) params.append(key, value)
  return params.toString()
}

/**
 * The grant of a request without end-user consent (client_credentials, jwt-bearer): a new chain acting for `subject`,
 * with the token hook's claims applied.
 */
export async function grantWithoutConsent (tools: GrantTools, request: GrantRequest, fields: {
  grantType: string
  subject: string
  scope: readonly string[]
  grantedAudience: readonly string[]
}): Promise<IssueGrant> {
  const { client, form, audience, now } = request
  const requestedGrant: IssueGrant = {
    requestId: timeOrderedHex(now.getTime()),
    challengeId: null,
    client,
    requestedScope: fields.scope,
    grantedScope: fields.scope,
    requestedAudience: audience,
    grantedAudience: fields.grantedAudience,
    session: { ...emptySession(), subject: fields.subject, clientSubject: fields.subject, originGrant: fields.grantType },
    formData: sanitisedForm(form),
    now,
    grantType: fields.grantType
  }
  return { ...requestedGrant, session: await tools.hooks.apply(requestedGrant, form) }
}
