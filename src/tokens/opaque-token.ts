// Opaque HMAC tokens (hydra-api.md §4.3): `<prefix><key>.<sig>`; the first system secret signs, every one verifies.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const ACCESS_TOKEN_PREFIX = 'ory_at_'
export const REFRESH_TOKEN_PREFIX = 'ory_rt_'
export const AUTHORIZE_CODE_PREFIX = 'ory_ac_'

export type OpaqueKind = 'access_token' | 'refresh_token' | 'authorize_code'

const PREFIXES: Record<OpaqueKind, string> = {
  access_token: ACCESS_TOKEN_PREFIX,
  refresh_token: REFRESH_TOKEN_PREFIX,
  authorize_code: AUTHORIZE_CODE_PREFIX
}

const KEY_BYTES = 32

export interface MintedToken {
  /** What the client receives. */
  token: string
  /** The lookup key stored in place of the token: a hash of its signature, never the token itself. */
  signature: string
}

/**
 * The stored form of a token signature. Hydra keeps hex SHA-384 of the signature for access tokens; Warden
 * uses it for every token kind so a leaked table yields nothing a client could present.
 */
export function signatureHash (signature: string): string {
  return createHash('sha384').update(signature, 'utf8').digest('hex')
}

export class OpaqueTokenStrategy {
  private readonly keys: Buffer[]

  constructor (systemSecrets: readonly string[]) {
    if (systemSecrets.length === 0) throw new Error('secrets.system must hold at least one secret to issue tokens')
    // HMAC key = SHA-256 of the secret (32 bytes), as Hydra derives it.
    this.keys = systemSecrets.map((secret) => createHash('sha256').update(secret, 'utf8').digest())
  }

  private mac (key: Buffer, tokenKey: Buffer): Buffer {
    return createHmac('sha512-256', key).update(tokenKey).digest()
  }

  mint (kind: OpaqueKind): MintedToken {
    const tokenKey = randomBytes(KEY_BYTES)
    const signature = this.mac(this.keys[0] as Buffer, tokenKey).toString('base64url')
    return { token: `${PREFIXES[kind]}${tokenKey.toString('base64url')}.${signature}`, signature: signatureHash(signature) }
  }

  /**
   * The stored signature hash when `token` is a well-formed token of this kind signed under any configured
   * secret; undefined otherwise (garbage never reaches the database). Un-prefixed tokens are accepted.
   */
  verify (kind: OpaqueKind, token: string): string | undefined {
    const prefix = PREFIXES[kind]
    let raw = token
    if (raw.startsWith(prefix)) raw = raw.slice(prefix.length)
    else if (/^ory_[a-z]{2}_/.test(raw)) return undefined // another kind's prefix
    const dot = raw.indexOf('.')
    if (dot <= 0 || dot !== raw.lastIndexOf('.')) return undefined
    const keyText = raw.slice(0, dot)
    const signature = raw.slice(dot + 1)
    if (!/^[A-Za-z0-9_-]+$/.test(keyText) || !/^[A-Za-z0-9_-]+$/.test(signature)) return undefined
    const presented = Buffer.from(signature, 'base64url')
    const tokenKey = Buffer.from(keyText, 'base64url')
    for (const key of this.keys) {
      const expected = this.mac(key, tokenKey)
      if (expected.length === presented.length && timingSafeEqual(expected, presented)) return signatureHash(signature)
    }
    return undefined
  }
}

/** The kind a presented token claims by its prefix, or undefined for un-prefixed tokens. */
export function opaqueKindOf (token: string): OpaqueKind | undefined {
  for (const [kind, prefix] of Object.entries(PREFIXES) as Array<[OpaqueKind, string]>) if (token.startsWith(prefix)) return kind
  return undefined
}
