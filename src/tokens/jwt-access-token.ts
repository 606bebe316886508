// JWT access tokens (hydra-api.md §4.4): claims, signing with the newest hydra.jwt.access-token key, verification.
import { createPublicKey, verify, constants, type KeyObject, type JsonWebKey as NodeJsonWebKey } from 'node:crypto'
import type { Clock } from '../lib/clock.js'
import { randomId } from '../lib/random.js'
import type { Jwk } from '../keys/jwk.js'
import { RefreshingCache } from '../keys/refreshing-cache.js'

/** Claims an ext/top-level key may never override. */
export const RESERVED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'client_id', 'scp', 'ext', 'scope']

export interface JwtClaimsInput {
  issuer: string
  subject: string
  clientId: string
  audience: readonly string[]
  scope: readonly string[]
  issuedAtMs: number
  expiresAtMs: number
  ext: Record<string, unknown>
}

export interface JwtClaimOptions {
  scopeClaim: 'list' | 'string' | 'both'
  excludeNotBeforeClaim: boolean
  allowedTopLevelClaims: readonly string[]
  mirrorTopLevelClaims: boolean
  preserveExtClaims: boolean
}

export function accessTokenClaims (input: JwtClaimsInput, options: JwtClaimOptions): Record<string, unknown> {
  const iat = Math.floor(input.issuedAtMs / 1000)
  const claims: Record<string, unknown> = {}
  const promoted = options.allowedTopLevelClaims.filter((key) => !RESERVED_CLAIMS.includes(key) && Object.hasOwn(input.ext, key))
  for (const key of promoted) claims[key] = input.ext[key]
  Object.assign(claims, {
    iss: input.issuer,
    sub: input.subject,
    aud: [...input.audience],
    exp: Math.floor(input.expiresAtMs / 1000),
    iat,
    jti: randomId(),
    client_id: input.clientId
  })
  if (!options.excludeNotBeforeClaim) claims['nbf'] = iat
  if (options.scopeClaim !== 'string') claims['scp'] = [...input.scope]
  if (options.scopeClaim !== 'list') claims['scope'] = input.scope.join(' ')
  if (options.mirrorTopLevelClaims) {
    claims['ext'] = input.ext
  } else if (options.preserveExtClaims) {
    const rest = Object.fromEntries(Object.entries(input.ext).filter(([key]) => !promoted.includes(key)))
    if (Object.keys(rest).length > 0) claims['ext'] = rest
  }
  return claims
}

export function isJwtShaped (token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)
}

function verifyInput (alg: string, key: KeyObject): { digest: string | null, key: KeyObject | Parameters<typeof verify>[2] } | undefined {
  if (alg === 'EdDSA') return { digest: null, key }
  const bits = alg.slice(2)
  if (!['256', '384', '512'].includes(bits)) return undefined
  if (alg.startsWith('RS')) return { digest: `sha${bits}`, key }
  if (alg.startsWith('PS')) return { digest: `sha${bits}`, key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 } }
  if (alg.startsWith('ES')) return { digest: `sha${bits}`, key: { key, dsaEncoding: 'ieee-p1363' } }
  return undefined
}

/**
 * Verifies the signature of a JWT we issued against the public keys of a set (cached KeyObjects, node:crypto).
 * Returns the payload when the signature and `kid` check out; expiry is decided by the stored row.
 */
export class JwtSignatureVerifier {
  private readonly cache: RefreshingCache<string, Map<string, { key: KeyObject, alg: string | undefined }>>
  private readonly loadKeys: () => Promise<Jwk[]>

  constructor (loadKeys: () => Promise<Jwk[]>, clock: Clock, ttlMs = 10_000) {
    this.loadKeys = loadKeys
    this.cache = new RefreshingCache(clock, ttlMs)
  }

  private async keys (): Promise<Map<string, { key: KeyObject, alg: string | undefined }>> {
    return await this.cache.get('keys', async () => {
      const map = new Map<string, { key: KeyObject, alg: string | undefined }>()
      for (const jwk of await this.loadKeys()) {
        try { map.set(jwk.kid, { key: createPublicKey({ key: jwk as unknown as NodeJsonWebKey, format: 'jwk' }), alg: jwk.alg }) } catch { /* unusable key */ }
      }
      return map
    })
  }

  async verify (token: string): Promise<Record<string, unknown> | undefined> {
    const [headerPart = '', payloadPart = '', signaturePart = ''] = token.split('.')
    let header: { alg?: unknown, kid?: unknown }
    let payload: unknown
    try {
      header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as typeof header
      payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'))
    } catch {
      return undefined
    }
    if (typeof header.kid !== 'string' || typeof header.alg !== 'string' || typeof payload !== 'object' || payload === null) return undefined
    const entry = (await this.keys()).get(header.kid)
    if (entry === undefined || (entry.alg !== undefined && entry.alg !== header.alg)) return undefined
    const input = verifyInput(header.alg, entry.key)
    if (input === undefined) return undefined
    const isValid = verify(input.digest, Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'), input.key as KeyObject, Buffer.from(signaturePart, 'base64url'))
    return isValid ? payload as Record<string, unknown> : undefined
  }
}

