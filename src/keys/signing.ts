// JWS signing with node:crypto and cached KeyObjects (the hot path), verification through jose.
import { constants, createPrivateKey, sign } from 'node:crypto'
import type { JsonWebKey as NodeJsonWebKey, KeyObject, SignKeyObjectInput } from 'node:crypto'
import { createLocalJWKSet, jwtVerify } from 'jose'
import type { JSONWebKeySet, JWTPayload, JWTVerifyOptions, JWTVerifyResult } from 'jose'
import { isPrivateJwk, toPublicJwk } from './jwk.js'
import type { Jwk, Jwks } from './jwk.js'

export const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const
export type SigningAlgorithm = typeof SIGNING_ALGORITHMS[number]

/** A private key ready to sign: the KeyObject is built once, when the key is loaded (performance.md §Crypto). */
export interface SigningKey {
  readonly kid: string
  readonly alg: SigningAlgorithm
  readonly privateKey: KeyObject
  /** What a verifier needs, as published in jwks.json. */
  readonly publicJwk: Jwk
}

const DEFAULT_ALG_BY_CURVE: Record<string, SigningAlgorithm> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', Ed25519: 'EdDSA' }

/** The JWS alg a key signs with: its own `alg`, else the usual one for its type (imported keys may lack `alg`). */
export function signingAlgorithmOf (jwk: Jwk): SigningAlgorithm | undefined {
  if (jwk.alg !== undefined) return (SIGNING_ALGORITHMS as readonly string[]).includes(jwk.alg) ? jwk.alg as SigningAlgorithm : undefined
  if (jwk.kty === 'RSA') return 'RS256'
  return jwk.crv === undefined ? undefined : DEFAULT_ALG_BY_CURVE[jwk.crv]
}

/** True when the key can sign JWS with one of the algorithms above. */
export function canSign (jwk: Jwk): boolean {
  return isPrivateJwk(jwk) && jwk.kty !== 'oct' && jwk.use !== 'enc' && signingAlgorithmOf(jwk) !== undefined
}

export function toSigningKey (jwk: Jwk): SigningKey {
  const alg = signingAlgorithmOf(jwk)
  const publicJwk = toPublicJwk(jwk)
  if (!canSign(jwk) || alg === undefined || publicJwk === undefined) throw new Error(`JSON Web Key ${jwk.kid} cannot sign`)
  const privateKey = createPrivateKey({ key: jwk as unknown as NodeJsonWebKey, format: 'jwk' })
  return Object.freeze({ kid: jwk.kid, alg, privateKey, publicJwk })
}

function digestOf (alg: SigningAlgorithm): string | null {
  if (alg === 'EdDSA') return null
  return `sha${alg.slice(2)}`
}

function keyInput (key: SigningKey): KeyObject | SignKeyObjectInput {
  if (key.alg.startsWith('PS')) {
    // RFC 7518 §3.5: salt as long as the hash output.
    return { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(key.alg.slice(2)) / 8 }
  }
  // RFC 7518 §3.4: ECDSA signatures are R ‖ S, not DER.
  if (key.alg.startsWith('ES')) return { key: key.privateKey, dsaEncoding: 'ieee-p1363' }
  return key.privateKey
}

function encodeSegment (value: Record<string, unknown> | string | Buffer): string {
  if (Buffer.isBuffer(value)) return value.toString('base64url')
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url')
}

/** A compact JWS over `payload`; `alg` and `kid` come from the key and win over `header`. */
export function signCompact (key: SigningKey, payload: Record<string, unknown> | string | Buffer, header: Record<string, unknown> = {}): string {
  const signingInput = `${encodeSegment({ ...header, alg: key.alg, kid: key.kid })}.${encodeSegment(payload)}`
  const signature = sign(digestOf(key.alg), Buffer.from(signingInput, 'ascii'), keyInput(key))
  return `${signingInput}.${signature.toString('base64url')}`
}

/** A signed JWT (`typ: JWT` unless the header says otherwise). */
export function signJwt (key: SigningKey, claims: JWTPayload | Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return signCompact(key, claims as Record<string, unknown>, { typ: 'JWT', ...header })
}

/** Verifies a JWT against a key set with jose (used by tests and by code that checks foreign tokens). */
export async function verifyJwt (token: string, jwks: Jwks, options: JWTVerifyOptions = {}): Promise<JWTVerifyResult> {
  const keySet = createLocalJWKSet(jwks as unknown as JSONWebKeySet)
  return await jwtVerify(token, keySet, options)
}
