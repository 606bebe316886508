// Cryptographically secure random values.
import { randomBytes, randomInt, randomUUID } from 'node:crypto'

export function randomHex (bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

export function randomBase64Url (bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}

/** A string of `length` characters drawn uniformly from `alphabet`. */
export function randomString (length: number, alphabet: string): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}

export function randomId (): string {
  return randomUUID()
}

/**
 * 32 hex characters: the time in milliseconds (12) then 80 random bits (20). Unique like randomHex(16), but ids made
 * one after another sort together, so an index on them grows at its end instead of touching a random page per row
 * (token request ids; docs/performance.md, "Lean token rows").
 */
export function timeOrderedHex (nowMs: number): string {
  return Math.floor(nowMs).toString(16).padStart(12, '0').slice(-12) + randomBytes(10).toString('hex')
}
