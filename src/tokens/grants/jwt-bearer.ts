// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer (RFC 7523 §2.1, hydra-api.md §4.13): an assertion signed by a
// trusted issuer (trust/ domain) buys an access token for its subject. No refresh token, no ID token.
import { createHash } from 'node:crypto'
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK, type JWTPayload } from 'jose'
import { clientScopes } from '../../clients/client.js'
import type { Config } from '../../config/schema.js'
import { invalidGrant, invalidRequest, invalidScope, jtiKnown, unsupportedGrantType } from '../../errors/catalogue.js'
import type { Jwk } from '../../keys/jwk.js'
import { parseDurationMs } from '../../lib/duration.js'
import { audienceAllowed } from '../scope-strategy.js'
import { splitList } from '../token.js'
import { grantWithoutConsent, type GrantHandler, type GrantTools } from './grant.js'

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

/** A key an assertion may be verified with, and the scopes its trust relationship allows. */
export interface TrustedAssertionKey {
  jwk: Jwk
  scope: string[]
}

/** Who may sign assertions (TrustService implements it). */
export interface JwtBearerIssuers {
  /** Keys of unexpired relationships of issuer for subject (or any subject); only `kid` when given. */
  findTrustedKeys(issuer: string, subject: string, kid: string | undefined): Promise<TrustedAssertionKey[]>
}

/** `oauth2.grant.jwt.*`. */
export interface JwtBearerSettings {
  isJtiOptional: boolean
  isIatOptional: boolean
  maxTtlMs: number
  isAssertionAudienceOmitted: boolean
}

export interface JwtBearerTools {
  issuers: JwtBearerIssuers
  settings: JwtBearerSettings
}

export function jwtBearerSettingsFrom (config: Readonly<Config>): JwtBearerSettings {
  const jwt = config.oauth2.grant.jwt
  return {
    isJtiOptional: jwt.jti_optional,
    isIatOptional: jwt.iat_optional,
    maxTtlMs: parseDurationMs(jwt.max_ttl),
    isAssertionAudienceOmitted: jwt.omit_assertion_audience
  }
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'HS256', 'HS384', 'HS512']
const IN_ASSERTION = 'in "assertion" request parameter'

interface Unverified { alg: string, kid: string | undefined, iss: string, sub: string }

function readUnverified (assertion: string): Unverified {
  let header: { alg?: unknown, kid?: unknown }
  let claims: JWTPayload
  try {
    header = decodeProtectedHeader(assertion)
    claims = decodeJwt(assertion)
  } catch (error) {
    throw invalidGrant(`Unable to parse JSON Web Token passed ${IN_ASSERTION}.`).withDebug(error instanceof Error ? error.message : String(error))
  }
  const iss = typeof claims.iss === 'string' ? claims.iss : ''
  const sub = typeof claims.sub === 'string' ? claims.sub : ''
  if (iss === '') throw invalidGrant(`The JWT ${IN_ASSERTION} MUST contain an "iss" (issuer) claim.`)
  if (sub === '') throw invalidGrant(`The JWT ${IN_ASSERTION} MUST contain a "sub" (subject) claim.`)
  const kid = typeof header.kid === 'string' && header.kid !== '' ? header.kid : undefined
  return { alg: typeof header.alg === 'string' ? header.alg : '', kid, iss, sub }
}

/** The verified claims, or undefined when `jwk` did not sign the assertion. */
async function verifiedWith (assertion: string, alg: string, jwk: TrustedAssertionKey['jwk']): Promise<JWTPayload | undefined> {
  if (!ALGORITHMS.includes(alg)) return undefined
  try {
    const key = await importJWK({ ...jwk, alg } as JWK, alg)
    const { payload } = await compactVerify(assertion, key, { algorithms: [alg] })
    return JSON.parse(new TextDecoder().decode(payload)) as JWTPayload
  } catch {
    return undefined
  }
}

/** Finds the trusted key that signed the assertion (by kid when the header names one, else every candidate). */
async function verify (tools: JwtBearerTools, assertion: string, unverified: Unverified): Promise<{ claims: JWTPayload, scope: string[] }> {
  const { iss, sub, kid, alg } = unverified
  const notFound = invalidGrant(`No public JWK was registered for issuer "${iss}" and subject "${sub}", and public key is required to check signature of JWT ${IN_ASSERTION}.`)
  const candidates = await tools.issuers.findTrustedKeys(iss, sub, kid)
  if (candidates.length === 0) throw notFound
  for (const candidate of candidates) {
    const claims = await verifiedWith(assertion, alg, candidate.jwk)
    if (claims !== undefined) return { claims, scope: candidate.scope }
  }
  // With a kid the key was found but did not verify; without one, no registered key matched (Hydra's two messages).
  if (kid !== undefined) throw invalidGrant('Unable to verify the integrity of the \'assertion\' value.')
  throw notFound
}

const isoSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z')

/** RFC 7523 §3 claim checks, in Hydra's order and with its hints. */
function assertClaims (tools: GrantTools, settings: JwtBearerSettings, claims: JWTPayload, nowMs: number): { exp: number, aud: string[] } {
  const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((value) => typeof value === 'string') : []
  if (aud.length === 0) throw invalidGrant(`The JWT ${IN_ASSERTION} MUST contain an "aud" (audience) claim.`)
  const tokenUrls = tools.config.tokenUrls
  if (!aud.some((value) => tokenUrls.includes(value))) {
    throw invalidGrant(`The JWT ${IN_ASSERTION} MUST contain an "aud" (audience) claim containing a value "${tokenUrls.join('" or "')}" that identifies the authorization server as an intended audience.`)
  }
  const { exp, nbf, iat } = claims
  if (typeof exp !== 'number') throw invalidGrant(`The JWT ${IN_ASSERTION} MUST contain an "exp" (expiration time) claim.`)
  if (exp * 1000 < nowMs) throw invalidGrant(`The JWT ${IN_ASSERTION} expired.`)
  if (typeof nbf === 'number' && nbf * 1000 >= nowMs) {
    throw invalidGrant(`The JWT ${IN_ASSERTION} contains an "nbf" (not before) claim, that identifies the time '${isoSeconds(nbf)}' before which the token MUST NOT be accepted.`)
  }
  if (typeof iat !== 'number' && !settings.isIatOptional) throw invalidGrant(`The JWT ${IN_ASSERTION} MUST contain an "iat" (issued at) claim.`)
  const issuedAtMs = typeof iat === 'number' ? iat * 1000 : nowMs
  if (exp * 1000 - issuedAtMs > settings.maxTtlMs) {
    throw invalidGrant(`The JWT ${IN_ASSERTION} contains an "exp" (expiration time) claim with value "${isoSeconds(exp)}" that is unreasonably far in the future, considering token issued at "${isoSeconds(Math.floor(issuedAtMs / 1000))}".`)
  }
  const jti = typeof claims.jti === 'string' ? claims.jti : ''
  if (jti === '' && !settings.isJtiOptional) throw invalidGrant(`The JWT ${IN_ASSERTION} MUST contain an "jti" (JWT ID) claim.`)
  return { exp, aud }
}

export const jwtBearerGrant: GrantHandler = {
  grantType: JWT_BEARER_GRANT,
  async handle (tools, request) {
    const { client, form, audience, now } = request
    const bearer = tools.jwtBearer
    if (bearer === undefined) throw unsupportedGrantType(`The grant type '${JWT_BEARER_GRANT}' is not enabled.`)
    const assertion = form['assertion'] ?? ''
    if (assertion === '') throw invalidRequest(`The assertion request parameter must be set when using grant_type of '${JWT_BEARER_GRANT}'.`)
    const unverified = readUnverified(assertion)
    const { claims, scope: trustedScope } = await verify(bearer, assertion, unverified)
    const nowMs = now.getTime()
    const { exp, aud } = assertClaims(tools, bearer.settings, claims, nowMs)

    let requested = splitList(form['scope'])
    for (const scope of requested) {
      if (!tools.scopeAllowed(trustedScope, scope)) {
        throw invalidScope(`The public key registered for issuer "${unverified.iss}" and subject "${unverified.sub}" is not allowed to request scope "${scope}".`)
      }
    }
    // Hydra's token endpoint applies this client_credentials option to jwt-bearer requests too.
    if (requested.length === 0 && tools.config.isDefaultGrantAllowedScope) requested = clientScopes(client)
    if (typeof claims.jti === 'string' && claims.jti !== '') {
      const jtiHash = createHash('sha256').update(claims.jti).digest('hex')
      if (!await tools.store.useJti(jtiHash, new Date(exp * 1000), now)) throw jtiKnown()
    }
    // Requested audiences the client may not use are dropped (not refused) for this grant, as in Hydra.
    const grantedAudience = audience.filter((value) => audienceAllowed(client.audience ?? [], value))
    if (!bearer.settings.isAssertionAudienceOmitted) grantedAudience.push(...aud.filter((value) => !grantedAudience.includes(value)))
    const grant = await grantWithoutConsent(tools, request, { grantType: JWT_BEARER_GRANT, subject: unverified.sub, scope: requested, grantedAudience })
    return await tools.minter.issueTokens(tools.store, grant, { isRefreshAllowed: false, isIdTokenWanted: false, keys: {} })
  }
}
