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
