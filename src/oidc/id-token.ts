// OpenID Connect ID tokens (hydra-api.md §4.5, OIDC Core §2, §3.1.3.6): claims, at_hash / c_hash, signing.
import { createHash } from 'node:crypto'
import { signJwt, type SigningKey } from '../keys/signing.js'
import { randomId } from '../lib/random.js'

export interface IdTokenSession {
  clientSubject: string
  idTokenClaims: Record<string, unknown>
  authTimeMs: number | null
  requestedAtMs: number | null
  acr: string
  amr: readonly string[]
  sid: string
  nonce: string
}

export interface IdTokenInput {
  issuer: string
  clientId: string
  session: IdTokenSession
  issuedAtMs: number
  lifespanMs: number
  /** The access token issued alongside (for at_hash). */
  accessToken?: string
  /** The authorization code issued alongside (for c_hash; hybrid flows). */
  code?: string
}

/** OIDC Core §3.1.3.6: base64url of the left half of the hash the signing alg uses. */
export function halfHash (value: string, alg: string): string {
  const bits = alg === 'EdDSA' ? '512' : alg.slice(2)
  const digest = createHash(`sha${['256', '384', '512'].includes(bits) ? bits : '256'}`).update(value, 'ascii').digest()
  return digest.subarray(0, digest.length / 2).toString('base64url')
}

const STANDARD = ['iss', 'sub', 'aud', 'exp', 'iat', 'rat', 'auth_time', 'jti', 'nonce', 'at_hash', 'c_hash', 'acr', 'amr', 'sid']

/** The claim set; standard claims win over session claims of the same name. */
export function idTokenClaims (input: IdTokenInput, alg: string): Record<string, unknown> {
  const { session } = input
  const iat = Math.floor(input.issuedAtMs / 1000)
  const claims: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(session.idTokenClaims)) if (!STANDARD.includes(key)) claims[key] = value
  Object.assign(claims, {
    iss: input.issuer,
    sub: session.clientSubject,
    aud: [input.clientId],
    exp: Math.floor((input.issuedAtMs + input.lifespanMs) / 1000),
    iat,
    jti: randomId(),
    auth_time: session.authTimeMs === null ? iat : Math.floor(session.authTimeMs / 1000),
    rat: session.requestedAtMs === null ? iat : Math.floor(session.requestedAtMs / 1000)
  })
  if (session.nonce !== '') claims['nonce'] = session.nonce
  if (input.accessToken !== undefined) claims['at_hash'] = halfHash(input.accessToken, alg)
  if (input.code !== undefined) claims['c_hash'] = halfHash(input.code, alg)
  if (session.acr !== '') claims['acr'] = session.acr
  if (session.amr.length > 0) claims['amr'] = [...session.amr]
  if (session.sid !== '') claims['sid'] = session.sid
  return claims
}

export function signIdToken (key: SigningKey, input: IdTokenInput): string {
  return signJwt(key, idTokenClaims(input, key.alg))
}
