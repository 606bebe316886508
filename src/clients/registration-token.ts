// RFC 7592 registration access tokens: `ory_at_<key>.<hmac>`; only the HMAC part is stored, as in Hydra.
import { createHash, createHmac } from 'node:crypto'
import { randomBase64Url } from '../lib/random.js'
import { constantTimeEqual } from './secret-hasher.js'

export interface RegistrationTokens {
  /** A new token and the signature to store in place of it. */
  issue(): { token: string, signature: string }
  /** True when `presented` was issued by us (under any configured secret) and its signature equals `stored`. */
  matches(presented: string, stored: string): boolean
}

const PREFIX = 'ory_at_'
const KEY_BYTES = 32

function macKey (secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest()
}

function sign (key: Buffer, tokenKey: string): string {
  return createHmac('sha512-256', key).update(tokenKey).digest('base64url')
}

/** Tokens signed with the first of `secrets.system`; every listed secret still validates, so rotation keeps them working. */
export function hmacRegistrationTokens (systemSecrets: readonly string[]): RegistrationTokens {
  if (systemSecrets.length === 0) throw new Error('secrets.system must hold at least one secret to issue registration access tokens')
  const keys = systemSecrets.map(macKey)
  return {
    issue () {
      const tokenKey = randomBase64Url(KEY_BYTES)
      const signature = sign(keys[0] as Buffer, tokenKey)
      return { token: `${PREFIX}${tokenKey}.${signature}`, signature }
    },
    matches (presented, stored) {
      if (stored === '') return false
      const raw = presented.startsWith(PREFIX) ? presented.slice(PREFIX.length) : presented
      const [tokenKey = '', signature = '', ...rest] = raw.split('.')
      if (tokenKey === '' || signature === '' || rest.length > 0) return false
      const valid = keys.some((key) => constantTimeEqual(sign(key, tokenKey), signature))
      return valid && constantTimeEqual(signature, stored)
    }
  }
}
