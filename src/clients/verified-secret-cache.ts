// Remembers successful client-secret verifications, so a client's repeat authentication costs one HMAC, not a PBKDF2/bcrypt run.
//
// Rules (docs/performance.md, "Verified-secret cache"):
//   - An entry is HMAC-SHA256(per-process random key, client id, every stored hash, presented secret). The secret
//     itself is never kept, and the digests are useless outside this process.
//   - Only successes are remembered; a wrong secret always pays the full hash (online guessing stays slow).
//   - Because every stored hash is part of the key, a new or rotated secret (or a client deleted and re-created)
//     changes the key, so a stale entry can never authenticate — even one written by a verification that raced
//     an update, or left in another worker process (caches are per process).
//   - ClientsService still drops a client's entries on every update, rotation and delete (memory, and defence in
//     depth); an invalidation while a verification is in flight keeps that verification's result out of the cache.
//   - Bounded LRU (Map insertion order; a hit moves the entry to the back).
//   - Concurrent identical verifications share one slow hash (no stampede of 20 PBKDF2 runs on a cold start).
import { createHmac, randomBytes } from 'node:crypto'

export const DEFAULT_VERIFIED_SECRETS_MAX_ENTRIES = 10_000

export interface VerifiedSecretCacheOptions {
  /** Upper bound on remembered verifications (default 10,000). */
  maxEntries?: number
  /** HMAC key; a fresh random one per process unless a test injects it. */
  key?: Buffer
}

/** What a verification is about: the client id and its stored hashes, current first, then rotated ones. */
export interface StoredSecrets {
  clientId: string
  hashes: readonly string[]
}

export class VerifiedSecretCache {
  readonly #key: Buffer
  readonly #maxEntries: number
  /** digest → client id, oldest use first. */
  readonly #entries = new Map<string, string>()
  /** client id → its digests, so a client's entries go in one step. */
  readonly #byClient = new Map<string, Set<string>>()
  /** digest → the slow verification already running for it. */
  readonly #inFlight = new Map<string, Promise<boolean>>()
  /** Bumped by every invalidation; a verification that saw another value is not remembered. */
  #generation = 0

  constructor (options: VerifiedSecretCacheOptions = {}) {
    this.#key = options.key ?? randomBytes(32)
    this.#maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_VERIFIED_SECRETS_MAX_ENTRIES)
  }

  get size (): number { return this.#entries.size }

  /** Length-prefixed fields, so no two different inputs can produce the same MAC input. */
  digest (stored: StoredSecrets, presented: string): string {
    const mac = createHmac('sha256', this.#key)
    for (const field of [stored.clientId, String(stored.hashes.length), ...stored.hashes, presented]) {
      const bytes = Buffer.from(field, 'utf8')
      const length = Buffer.alloc(4)
      length.writeUInt32BE(bytes.length)
      mac.update(length).update(bytes)
    }
    return mac.digest('base64url')
  }

  /**
   * True when `presented` matches one of `stored.hashes`: from memory when this exact combination verified
   * before, otherwise by `slowVerify` (which must run off the event loop), remembering only a success.
   */
  async verify (stored: StoredSecrets, presented: string, slowVerify: () => Promise<boolean>): Promise<boolean> {
    const digest = this.digest(stored, presented)
    if (this.#touch(digest)) return true
    const running = this.#inFlight.get(digest)
    if (running !== undefined) return await running
    const generation = this.#generation
    const verification = slowVerify().then((isMatch) => {
      if (isMatch && generation === this.#generation) this.#remember(digest, stored.clientId)
      return isMatch
    }).finally(() => { this.#inFlight.delete(digest) })
    this.#inFlight.set(digest, verification)
    return await verification
  }

  /** Drops every entry of `clientId` (update, delete, secret rotation) and keeps in-flight results out. */
  forgetClient (clientId: string): void {
    this.#generation++
    const digests = this.#byClient.get(clientId)
    if (digests === undefined) return
    for (const digest of digests) this.#entries.delete(digest)
    this.#byClient.delete(clientId)
  }

  /** Number of remembered verifications of `clientId` (tests and metrics). */
  entriesOf (clientId: string): number {
    return this.#byClient.get(clientId)?.size ?? 0
  }

  clear (): void {
    this.#generation++
    this.#entries.clear()
    this.#byClient.clear()
  }

  #touch (digest: string): boolean {
    const clientId = this.#entries.get(digest)
    if (clientId === undefined) return false
    this.#entries.delete(digest)
    this.#entries.set(digest, clientId)
    return true
  }

  #remember (digest: string, clientId: string): void {
    this.#entries.delete(digest)
    this.#entries.set(digest, clientId)
    let digests = this.#byClient.get(clientId)
    if (digests === undefined) {
      digests = new Set()
      this.#byClient.set(clientId, digests)
    }
    digests.add(digest)
    while (this.#entries.size > this.#maxEntries) {
      const [oldest, owner] = this.#entries.entries().next().value as [string, string]
      this.#entries.delete(oldest)
      const owned = this.#byClient.get(owner)
      owned?.delete(oldest)
      if (owned?.size === 0) this.#byClient.delete(owner)
    }
  }
}
