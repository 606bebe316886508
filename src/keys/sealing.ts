// AES-256-GCM sealing for secrets at rest, keyed by `secrets.system` (the first seals, every one opens).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

const NONCE_BYTES = 12
const TAG_BYTES = 16

/** Raised when no configured secret opens a sealed value: a missing or wrong `secrets.system`. */
export class SecretMismatchError extends Error {
  constructor (what: string) {
    super(`${what} cannot be decrypted with any of the configured secrets.system values; add the secret it was encrypted with (keep the old one listed after the new one while rotating)`)
    this.name = 'SecretMismatchError'
  }
}

function deriveKey (secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest()
}

function openWith (key: Buffer, raw: Buffer, associatedData: string): Buffer | undefined {
  if (raw.length < NONCE_BYTES + TAG_BYTES) return undefined
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES))
    decipher.setAAD(Buffer.from(associatedData, 'utf8'))
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES))
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()])
  } catch {
    return undefined
  }
}

export class Sealer {
  private readonly keys: readonly Buffer[]

  constructor (secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('at least one secret is needed to seal values')
    this.keys = secrets.map(deriveKey)
  }

  private get currentKey (): Buffer { return this.keys[0] as Buffer }

  /** base64url(nonce ‖ ciphertext ‖ tag), sealed under the first secret. */
  seal (plaintext: string | Buffer, associatedData = ''): string {
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.currentKey, nonce)
    cipher.setAAD(Buffer.from(associatedData, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
    return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')
  }

  /** Opens a value sealed under any configured secret; undefined when none opens it. */
  tryOpen (sealed: string, associatedData = ''): Buffer | undefined {
    const raw = Buffer.from(sealed, 'base64url')
    for (const key of this.keys) {
      const opened = openWith(key, raw, associatedData)
      if (opened !== undefined) return opened
    }
    return undefined
  }

  /** Like tryOpen, but a failure names `what` could not be decrypted. */
  open (sealed: string, what: string, associatedData = ''): Buffer {
    const opened = this.tryOpen(sealed, associatedData)
    if (opened === undefined) throw new SecretMismatchError(what)
    return opened
  }

  /** True when the value is sealed under the current secret, so re-encryption can skip it. */
  isSealedWithCurrent (sealed: string, associatedData = ''): boolean {
    return openWith(this.currentKey, Buffer.from(sealed, 'base64url'), associatedData) !== undefined
  }
}
