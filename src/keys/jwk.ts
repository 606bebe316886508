// JSON Web Key shape, validation of untrusted JWKs, and the public projection published in jwks.json.
import { createPrivateKey, createPublicKey } from 'node:crypto'
import type { JsonWebKey as NodeJsonWebKey } from 'node:crypto'
import { badRequest } from '../errors/catalogue.js'
import type { OAuth2Error } from '../errors/oauth2-error.js'

/** RFC 7517 key, restricted to the members Hydra stores and returns. */
export interface Jwk {
  kty: string
  kid: string
  use?: string
  alg?: string
  key_ops?: string[]
  crv?: string
  k?: string
  x?: string
  y?: string
  n?: string
  e?: string
  d?: string
  p?: string
  q?: string
  dp?: string
  dq?: string
  qi?: string
  x5c?: string[]
  x5u?: string
  x5t?: string
  'x5t#S256'?: string
}

export interface Jwks { keys: Jwk[] }

// Hydra (go-jose) writes members in this order; keeping it makes our bodies easy to diff against Hydra's.
const MEMBER_ORDER = ['use', 'kty', 'kid', 'crv', 'alg', 'key_ops', 'k', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi',
  'x5c', 'x5u', 'x5t', 'x5t#S256'] as const
type Member = typeof MEMBER_ORDER[number]

/** Members that carry secret material: never published, never in a "public" answer (RFC 7518 §6.2.2, §6.3.2, §6.4). */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const

const PUBLIC_MATERIAL: Record<string, readonly Member[]> = {
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x']
}
const ARRAY_MEMBERS = new Set<string>(['x5c', 'key_ops'])
// RFC 7518 §6: key material members are base64url without padding; Node's decoder would silently skip junk.
const BASE64URL_MEMBERS = new Set<string>(['k', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'x5t', 'x5t#S256'])
const BASE64URL = /^[A-Za-z0-9_-]+$/
const CURVES: Record<string, readonly string[]> = {
  EC: ['P-256', 'P-384', 'P-521'],
  OKP: ['Ed25519', 'Ed448', 'X25519', 'X448']
}
// Which key type (and curve) each JWS algorithm needs; enc algorithms are not cross-checked.
const SIGNATURE_ALG_KEY: Record<string, { kty: string, crv?: string }> = {
  RS256: { kty: 'RSA' }, RS384: { kty: 'RSA' }, RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' }, PS384: { kty: 'RSA' }, PS512: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' }, ES384: { kty: 'EC', crv: 'P-384' }, ES512: { kty: 'EC', crv: 'P-521' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' }, Ed25519: { kty: 'OKP', crv: 'Ed25519' },
  HS256: { kty: 'oct' }, HS384: { kty: 'oct' }, HS512: { kty: 'oct' }
}

/** Returns a copy with members in Hydra's order and nothing Hydra would drop. */
export function normaliseJwk (jwk: Jwk): Jwk {
  const out: Record<string, unknown> = {}
  for (const member of MEMBER_ORDER) {
    const value = jwk[member]
    if (value !== undefined) out[member] = Array.isArray(value) ? [...value] : value
  }
  return out as unknown as Jwk
}

/** True when the key holds private (or symmetric) material. */
export function isPrivateJwk (jwk: Jwk): boolean {
  return jwk.kty === 'oct' ? jwk.k !== undefined : jwk.d !== undefined
}

/**
 * The public half of a key, or undefined for symmetric keys, which have none. Built from an allow-list so
 * a member we do not know about can never leak.
 */
export function toPublicJwk (jwk: Jwk): Jwk | undefined {
  const material = PUBLIC_MATERIAL[jwk.kty]
  if (material === undefined) return undefined
  const allowed = new Set<Member>(['use', 'kty', 'kid', 'alg', 'x5c', 'x5u', 'x5t', 'x5t#S256', ...material])
  const out: Record<string, unknown> = {}
  for (const member of MEMBER_ORDER) {
    const value = jwk[member]
    if (allowed.has(member) && value !== undefined) out[member] = Array.isArray(value) ? [...value] : value
  }
  return out as unknown as Jwk
}

function invalid (hint: string): OAuth2Error {
  return badRequest(`The JSON Web Key is invalid: ${hint}`)
}

function readMembers (input: Record<string, unknown>): Jwk {
  const out: Record<string, unknown> = {}
  for (const member of MEMBER_ORDER) {
    const value = input[member]
    if (value === undefined || value === null) continue
    if (ARRAY_MEMBERS.has(member)) {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalid(`member "${member}" must be an array of strings.`)
      if (value.length === 0) continue // go-jose writes empty x5c arrays; they carry nothing
      out[member] = [...value]
    } else {
      if (typeof value !== 'string') throw invalid(`member "${member}" must be a string.`)
      if (value === '' && member !== 'kid') continue
      if (BASE64URL_MEMBERS.has(member) && !BASE64URL.test(value)) throw invalid(`member "${member}" must be base64url encoded.`)
      out[member] = value
    }
  }
  return out as unknown as Jwk
}

function checkMaterial (jwk: Jwk): void {
  if (jwk.kty === 'oct') {
    if (jwk.k === undefined || Buffer.from(jwk.k, 'base64url').length === 0) throw invalid('a symmetric key needs a non-empty "k".')
    return
  }
  const curves = CURVES[jwk.kty]
  if (curves !== undefined && (jwk.crv === undefined || !curves.includes(jwk.crv))) {
    throw invalid(`"crv" must be one of ${curves.join(', ')} for key type ${jwk.kty}.`)
  }
  try {
    const nodeJwk = { ...jwk } as unknown as NodeJsonWebKey
    if (isPrivateJwk(jwk)) createPrivateKey({ key: nodeJwk, format: 'jwk' })
    else createPublicKey({ key: nodeJwk, format: 'jwk' })
  } catch (error) {
    throw invalid(`the key material cannot be imported (${error instanceof Error ? error.message : String(error)}).`)
  }
}

/**
 * Validates a JWK received from outside (admin API, CLI import). Throws a 400 in Hydra's generic error format
 * when it is not a usable key. `fallbackKid` fills in a missing kid (PUT /admin/keys/{set}/{kid}).
 */
export function parseJwk (input: unknown, fallbackKid?: string): Jwk {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('expected a JSON object.')
  const jwk = readMembers(input as Record<string, unknown>)
  if (jwk.kid === undefined || jwk.kid === '') {
    if (fallbackKid === undefined || fallbackKid === '') throw invalid('member "kid" is required.')
    jwk.kid = fallbackKid
  }
  if (typeof jwk.kty !== 'string' || !['RSA', 'EC', 'OKP', 'oct'].includes(jwk.kty)) {
    throw invalid('member "kty" must be one of RSA, EC, OKP, oct.')
  }
  if (jwk.use !== undefined && jwk.use !== 'sig' && jwk.use !== 'enc') throw invalid('member "use" must be "sig" or "enc".')
  const needs = jwk.alg === undefined ? undefined : SIGNATURE_ALG_KEY[jwk.alg]
  if (needs !== undefined && (needs.kty !== jwk.kty || (needs.crv !== undefined && needs.crv !== jwk.crv))) {
    throw invalid(`algorithm ${jwk.alg ?? ''} needs a ${needs.kty}${needs.crv === undefined ? '' : ` ${needs.crv}`} key.`)
  }
  checkMaterial(jwk)
  return normaliseJwk(jwk)
}

/** Validates `{ "keys": [...] }`; kids must be unique within the set. */
export function parseJwks (input: unknown): Jwk[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw badRequest('The JSON Web Key Set is invalid: expected a JSON object with a "keys" array.')
  const keys = (input as { keys?: unknown }).keys
  if (keys === undefined || keys === null) return []
  if (!Array.isArray(keys)) throw badRequest('The JSON Web Key Set is invalid: member "keys" must be an array.')
  const parsed = keys.map((key) => parseJwk(key))
  const seen = new Set<string>()
  for (const key of parsed) {
    if (seen.has(key.kid)) throw badRequest(`The JSON Web Key Set is invalid: kid "${key.kid}" appears more than once.`)
    seen.add(key.kid)
  }
  return parsed
}
