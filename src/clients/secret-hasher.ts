// Client secret hashing in Hydra's encodings (ory/x hasherx): PBKDF2 or bcrypt, never on the event loop.
import { createHash, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { hash as bcryptHash, verify as bcryptVerify } from '@node-rs/bcrypt'
import { randomString } from '../lib/random.js'

const pbkdf2Async = promisify(pbkdf2)

export interface HasherConfig {
  algorithm: 'pbkdf2' | 'bcrypt'
  bcrypt: { cost: number }
  pbkdf2: { iterations: number }
}

export interface SecretHasher {
  /** Encodes `secret` with the configured algorithm. */
  hash(secret: string): Promise<string>
  /** True when `secret` matches `encoded`, whatever supported algorithm produced it. */
  verify(secret: string, encoded: string): Promise<boolean>
}

/** Hydra's secret alphabet (x.GenerateSecret). */
export const SECRET_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890_-.~'
export const GENERATED_SECRET_LENGTH = 26

export function generateClientSecret (): string {
  return randomString(GENERATED_SECRET_LENGTH, SECRET_ALPHABET)
}

// Hydra: 16-byte salt, 32-byte key, HMAC-SHA-256 (hydra-api.md §2.4).
const PBKDF2_SALT_BYTES = 16
const PBKDF2_KEY_BYTES = 32
// bcrypt only reads 72 bytes; Go's bcrypt refuses longer input instead of truncating it silently.
const BCRYPT_MAX_BYTES = 72

/**
 * hasherx maps "sha224"/"sha384" to SHA-3 (a quirk we keep so imported hashes verify) and anything
 * unknown to SHA-256.
 */
const PBKDF2_DIGESTS: Record<string, string> = {
  sha1: 'sha1', sha224: 'sha3-224', sha256: 'sha256', sha384: 'sha3-384', sha512: 'sha512'
}

// base64 "RawStd, strict": no padding, and the unused low bits of the last character must be zero.
function decodeRawStd (text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) return undefined
  const bytes = Buffer.from(text, 'base64')
  return bytes.toString('base64').replace(/=+$/, '') === text ? bytes : undefined
}

function encodeRawStd (bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '')
}

interface Pbkdf2Hash { digest: string, iterations: number, salt: Buffer, key: Buffer }

/** `$pbkdf2-<digest>$i=<iterations>,l=<key length>$<salt>$<key>` */
function parsePbkdf2 (encoded: string): Pbkdf2Hash | undefined {
  const parts = encoded.split('$')
  if (parts.length !== 5) return undefined
  const digestName = /^pbkdf2-(sha[0-9]{1,3})$/.exec(parts[1] as string)?.[1]
  const params = /^i=([0-9]+),l=([0-9]+)$/.exec(parts[2] as string)
  const salt = decodeRawStd(parts[3] as string)
  const key = decodeRawStd(parts[4] as string)
  if (digestName === undefined || params === null || salt === undefined || key === undefined || key.length === 0) return undefined
  const iterations = Number(params[1])
  if (!Number.isSafeInteger(iterations) || iterations < 1) return undefined
  return { digest: PBKDF2_DIGESTS[digestName] ?? 'sha256', iterations, salt, key }
}

export function isBcryptHash (encoded: string): boolean { return /^\$2[abzy]?\$/.test(encoded) }
export function isPbkdf2Hash (encoded: string): boolean { return /^\$pbkdf2-sha[0-9]{1,3}\$/.test(encoded) }

async function verifyPbkdf2 (secret: string, encoded: string): Promise<boolean> {
  const parsed = parsePbkdf2(encoded)
  if (parsed === undefined) return false
  // crypto.pbkdf2 (async) runs on the libuv thread pool, so the event loop keeps serving requests.
  const derived = await pbkdf2Async(Buffer.from(secret, 'utf8'), parsed.salt, parsed.iterations, parsed.key.length, parsed.digest)
  return timingSafeEqual(derived, parsed.key)
}

async function verifyBcrypt (secret: string, encoded: string): Promise<boolean> {
  if (Buffer.byteLength(secret, 'utf8') > BCRYPT_MAX_BYTES) return false
  try {
    // The native binding compares in constant time on its own worker thread.
    return await bcryptVerify(secret, encoded)
  } catch {
    return false
  }
}

/** Verifies against any supported encoding; argon2 hashes (Kratos imports) are not supported and never match. */
export async function verifyEncodedSecret (secret: string, encoded: string): Promise<boolean> {
  if (isBcryptHash(encoded)) return await verifyBcrypt(secret, encoded)
  if (isPbkdf2Hash(encoded)) return await verifyPbkdf2(secret, encoded)
  return false
}

export class SecretTooLongError extends Error {
  constructor () {
    super(`bcrypt can only hash secrets of up to ${BCRYPT_MAX_BYTES} bytes`)
    this.name = 'SecretTooLongError'
  }
}

export function createSecretHasher (config: HasherConfig): SecretHasher {
  if (config.algorithm === 'bcrypt') {
    const cost = config.bcrypt.cost
    return {
      async hash (secret) {
        if (Buffer.byteLength(secret, 'utf8') > BCRYPT_MAX_BYTES) throw new SecretTooLongError()
        // Go's bcrypt writes "$2a$"; for input under 255 bytes 2a and 2b are the same algorithm.
        return (await bcryptHash(secret, cost)).replace(/^\$2b\$/, '$2a$')
      },
      verify: verifyEncodedSecret
    }
  }
  const iterations = config.pbkdf2.iterations
  return {
    async hash (secret) {
      const salt = randomBytes(PBKDF2_SALT_BYTES)
      const key = await pbkdf2Async(Buffer.from(secret, 'utf8'), salt, iterations, PBKDF2_KEY_BYTES, 'sha256')
      return `$pbkdf2-sha256$i=${iterations},l=${PBKDF2_KEY_BYTES}$${encodeRawStd(salt)}$${encodeRawStd(key)}`
    },
    verify: verifyEncodedSecret
  }
}

/** Constant-time equality of two strings of possibly different length (length itself may leak). */
export function constantTimeEqual (a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest()
  const right = createHash('sha256').update(b).digest()
  return timingSafeEqual(left, right) && a.length === b.length
}
