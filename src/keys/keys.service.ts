// JSON Web Key sets: admin operations, sealing at rest, first-start generation, signing keys and the public JWKS.
import { OAuth2Error } from '../errors/oauth2-error.js'
import { badRequest, conflict, resourceNotFound } from '../errors/catalogue.js'
import type { Clock } from '../lib/clock.js'
import { toCachedJson } from '../lib/cached-json.js'
import type { CachedJson } from '../lib/cached-json.js'
import { Sealer, SecretMismatchError } from './sealing.js'
import { DuplicateKeyError } from './keys.store.js'
import type { KeysStore, StoredKey } from './keys.store.js'
import { normaliseJwk, parseJwk, parseJwks, toPublicJwk } from './jwk.js'
import type { Jwk } from './jwk.js'
import { GENERATION_ALGORITHMS, generateJwk, isGenerationAlgorithm } from './key-generation.js'
import type { GenerationOptions } from './key-generation.js'
import { canSign, toSigningKey } from './signing.js'
import type { SigningKey } from './signing.js'
import { RefreshingCache } from './refreshing-cache.js'

/** Signs ID tokens, logout tokens and signed userinfo (hydra-api.md §5.1). */
export const ID_TOKEN_SET = 'hydra.openid.id-token'
/** Signs JWT access tokens. */
export const ACCESS_TOKEN_SET = 'hydra.jwt.access-token'
export const DEFAULT_KEY_SETS: readonly string[] = [ID_TOKEN_SET, ACCESS_TOKEN_SET]

/** Binds sealed key data to its row, so key data copied into another set or kid does not open. */
export function keyAssociatedData (set: string, kid: string): string {
  return JSON.stringify(['hydra_jwk', set, kid])
}

/** Raised when keys must be sealed or opened but `secrets.system` is empty. */
export class SystemSecretMissingError extends Error {
  constructor (what: string) {
    super(`secrets.system is not configured, so ${what} cannot be decrypted or sealed; set secrets.system (or SECRETS_SYSTEM) to the secret the keys were encrypted with`)
    this.name = 'SystemSecretMissingError'
  }
}

export interface KeysServiceDeps {
  store: KeysStore
  /** `secrets.system`: the first secret seals, every listed one opens (rotation without downtime). */
  secretsSystem: readonly string[]
  clock: Clock
  /** `webfinger.jwks.broadcast_keys`: sets published in jwks.json besides the two default sets. */
  broadcastSets?: readonly string[]
  /**
   * How long this process trusts its cached JWKS document and signing keys. Writes through this service clear
   * the cache at once; the lifetime bounds how long a change made by another replica stays unseen.
   */
  cacheTtlMs?: number
  generation?: GenerationOptions
  /** Receives one line per generated key set (Hydra logs these as warnings). */
  log?: (message: string) => void
}

export interface CreateKeyInput {
  alg: string
  use?: string
  kid?: string
}

const DEFAULT_CACHE_TTL_MS = 10_000
const JWKS_CACHE_KEY = '.well-known/jwks.json'

// Hydra: 404 {"error":"Not Found","error_description":"Unable to locate the requested resource"} for an empty set.
function setNotFound (set: string): OAuth2Error {
  return new OAuth2Error({ error: 'Not Found', statusCode: 404, description: 'Unable to locate the requested resource', debug: `JSON Web Key Set ${set} has no keys` })
}

function unsupportedAlgorithm (alg: unknown): OAuth2Error {
  return new OAuth2Error({
    error: 'Bad Request',
    statusCode: 400,
    description: 'Unsupported key algorithm',
    hint: `Algorithm ${JSON.stringify(alg ?? '')} cannot be generated; use one of ${GENERATION_ALGORITHMS.join(', ')}.`
  })
}

export class KeysService {
  private readonly store: KeysStore
  private readonly sealer: Sealer | undefined
  private readonly clock: Clock
  private readonly publishedSets: readonly string[]
  private readonly generationOptions: GenerationOptions
  private readonly log: (message: string) => void
  private readonly documents: RefreshingCache<string, CachedJson>
  private readonly signers: RefreshingCache<string, SigningKey>
  private readonly ensuring = new Map<string, Promise<void>>()

  constructor (deps: KeysServiceDeps) {
    this.store = deps.store
    this.sealer = deps.secretsSystem.length === 0 ? undefined : new Sealer(deps.secretsSystem)
    this.clock = deps.clock
    // Hydra appends both default sets to the broadcast list and removes duplicates, keeping the first position.
    this.publishedSets = [...new Set([...(deps.broadcastSets ?? [ID_TOKEN_SET]), ACCESS_TOKEN_SET, ID_TOKEN_SET])]
    this.generationOptions = deps.generation ?? {}
    this.log = deps.log ?? (() => {})
    const ttlMs = deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS
    this.documents = new RefreshingCache(deps.clock, ttlMs)
    this.signers = new RefreshingCache(deps.clock, ttlMs)
  }

  // ---- sealing -------------------------------------------------------------------------------------------

  private requireSealer (what: string): Sealer {
    if (this.sealer === undefined) throw new SystemSecretMissingError(what)
    return this.sealer
  }

  private seal (set: string, jwk: Jwk, createdAt: Date): StoredKey {
    const sealer = this.requireSealer(`JSON Web Key ${jwk.kid} of set ${set}`)
    return { set, kid: jwk.kid, sealed: sealer.seal(JSON.stringify(jwk), keyAssociatedData(set, jwk.kid)), createdAt }
  }

  private openText (row: StoredKey): Buffer {
    const what = `JSON Web Key ${row.kid} of set ${row.set}`
    const sealer = this.requireSealer(what)
    // Second try without associated data: rows Hydra wrote (same AES-256-GCM layout, no associated data).
    const opened = sealer.tryOpen(row.sealed, keyAssociatedData(row.set, row.kid)) ?? sealer.tryOpen(row.sealed)
    if (opened === undefined) throw new SecretMismatchError(what)
    return opened
  }

  private open (row: StoredKey): Jwk {
    return normaliseJwk(JSON.parse(this.openText(row).toString('utf8')) as Jwk)
  }

  /** Writes through this process drop every cached document and signer at once. */
  private changed (): void {
    this.documents.clear()
    this.signers.clear()
  }

  /** The creation time for a key added to a set: strictly after the newest key, so "newest signs" is unambiguous. */
  private nextCreatedAt (existing: readonly StoredKey[]): Date {
    const nowMs = this.clock.now().getTime()
    const newestMs = existing.reduce((max, row) => Math.max(max, row.createdAt.getTime()), -Infinity)
    return new Date(Math.max(nowMs, newestMs + 1))
  }

  // ---- admin API (hydra-api.md §1.3) ---------------------------------------------------------------------

  /** createJsonWebKeySet: adds one generated key to the set and returns it with its private parts. */
  async createKey (set: string, input: CreateKeyInput): Promise<Jwk[]> {
    if (!isGenerationAlgorithm(input.alg)) throw unsupportedAlgorithm(input.alg)
    const use = input.use === undefined || input.use === '' ? 'sig' : input.use
    if (use !== 'sig' && use !== 'enc') throw badRequest('Field use must be "sig" or "enc".')
    this.requireSealer(`JSON Web Key set ${set}`)
    const jwk = await generateJwk({ alg: input.alg, use, ...(input.kid === undefined ? {} : { kid: input.kid }) }, this.generationOptions)
    const existing = await this.store.listSet(set)
    await this.insertOrConflict([this.seal(set, jwk, this.nextCreatedAt(existing))])
    return [jwk]
  }

  /** getJsonWebKeySet: newest first, private parts included (as Hydra does for software keys). */
  async getKeySet (set: string): Promise<Jwk[]> {
    const rows = await this.store.listSet(set)
    if (rows.length === 0) throw setNotFound(set)
    return rows.map((row) => this.open(row))
  }

  /** setJsonWebKeySet: replaces the whole set; the first key of the body becomes the newest (the signer). */
  async setKeySet (set: string, body: unknown): Promise<Jwk[]> {
    const keys = parseJwks(body)
    this.requireSealer(`JSON Web Key set ${set}`)
    const nowMs = this.clock.now().getTime()
    await this.store.replaceSet(set, keys.map((jwk, index) => this.seal(set, jwk, new Date(nowMs - index))))
    this.changed()
    return keys
  }

  async deleteKeySet (set: string): Promise<void> {
    await this.store.deleteSet(set)
    this.changed()
  }

  /** getJsonWebKey: a set holding the one key. */
  async getKey (set: string, kid: string): Promise<Jwk[]> {
    const row = await this.store.find(set, kid)
    if (row === undefined) throw resourceNotFound(`JSON Web Key ${kid} does not exist in set ${set}.`)
    return [this.open(row)]
  }

  /**
   * setJsonWebKey: stores the body under the body's kid (the path kid only fills in a missing one, Hydra ignores
   * it), replacing a key with that kid; the key becomes the newest of its set.
   */
  async setKey (set: string, pathKid: string, body: unknown): Promise<Jwk> {
    const jwk = parseJwk(body, pathKid)
    this.requireSealer(`JSON Web Key set ${set}`)
    const existing = await this.store.listSet(set)
    await this.store.replaceKey(this.seal(set, jwk, this.nextCreatedAt(existing)))
    this.changed()
    return jwk
  }

  /** deleteJsonWebKey: 204 whether or not the key existed, as Hydra. */
  async deleteKey (set: string, kid: string): Promise<void> {
    await this.store.deleteKey(set, kid)
    this.changed()
  }

  private async insertOrConflict (rows: StoredKey[]): Promise<void> {
    try {
      await this.store.insert(rows)
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw conflict(`JSON Web Key ${error.kid} already exists in set ${error.set}.`)
      throw error
    }
    this.changed()
  }

  // ---- startup -------------------------------------------------------------------------------------------

  /**
   * Opens every stored key. Throws (naming the set and kid, and that secrets.system lacks the secret) when one
   * does not open, so a server started with the wrong secret refuses to run instead of replacing keys.
   */
  async assertStoredKeysReadable (): Promise<number> {
    const rows = await this.store.listAll()
    for (const row of rows) this.open(row)
    return rows.length
  }

  /**
   * First start: creates hydra.openid.id-token and hydra.jwt.access-token (RS256) when missing, exactly once even
   * when several processes start together on one database (see ensureKeySet). Never touches existing keys.
   */
  async ensureDefaultKeySets (): Promise<void> {
    await this.assertStoredKeysReadable()
    await Promise.all(DEFAULT_KEY_SETS.map(async (set) => { await this.ensureKeySet(set, true) }))
  }

  /**
   * Makes sure `set` has a key (a signing key when `needsSigner`). Concurrency, two layers:
   *   within this process  one in-flight call per set (the map below);
   *   across processes     the RSA key is generated first (thread pool, listeners keep serving), then
   *                        store.insertIfSetEmpty inserts it only if the set is still empty, under a database
   *                        lock. Losers discard their candidate and use the winner's key.
   */
  async ensureKeySet (set: string, needsSigner: boolean): Promise<void> {
    const inFlight = this.ensuring.get(set)
    if (inFlight !== undefined) return await inFlight
    const work = this.generateIfMissing(set, needsSigner).finally(() => this.ensuring.delete(set))
    this.ensuring.set(set, work)
    return await work
  }

  private async generateIfMissing (set: string, needsSigner: boolean): Promise<void> {
    const existing = await this.store.listSet(set)
    const opened = existing.map((row) => this.open(row)) // an unreadable set is an error, never a reason to regenerate
    if (existing.length > 0 && (!needsSigner || opened.some(canSign))) return
    this.requireSealer(`JSON Web Key set ${set}`)
    this.log(`JSON Web Key Set ${set} has no ${existing.length === 0 ? 'keys' : 'signing key'} yet, generating a new RS256 key pair`)
    const candidate = await generateJwk({ alg: 'RS256', use: 'sig' }, this.generationOptions)
    if (existing.length === 0) {
      const result = await this.store.insertIfSetEmpty(set, [this.seal(set, candidate, this.nextCreatedAt([]))])
      this.changed()
      if (result.inserted) return
      const winners = result.keys.map((row) => this.open(row))
      if (!needsSigner || winners.some(canSign)) return
      // Someone stored only public keys meanwhile (an import); fall through and add the signer next to them.
    }
    await this.insertOrConflict([this.seal(set, candidate, this.nextCreatedAt(await this.store.listSet(set)))])
  }

  // ---- signing and publishing ----------------------------------------------------------------------------

  /** The newest key of the set that can sign (hydra-api.md §5.3); generated (RS256) when the set has none. */
  async signingKey (set: string): Promise<SigningKey> {
    return await this.signers.get(set, async () => {
      let key = await this.findSigner(set)
      if (key === undefined) {
        await this.ensureKeySet(set, true)
        key = await this.findSigner(set)
      }
      if (key === undefined) throw new Error(`JSON Web Key set ${set} has no key that can sign`)
      return key
    })
  }

  private async findSigner (set: string): Promise<SigningKey | undefined> {
    for (const row of await this.store.listSet(set)) {
      const jwk = this.open(row)
      if (canSign(jwk)) return toSigningKey(jwk)
    }
    return undefined
  }

  /** Public parts of every key of a set, newest first (symmetric keys have none and are skipped). */
  async publicKeys (set: string): Promise<Jwk[]> {
    const rows = await this.store.listSet(set)
    return rows.map((row) => toPublicJwk(this.open(row))).filter((jwk): jwk is Jwk => jwk !== undefined)
  }

  /**
   * The /.well-known/jwks.json document: public keys of the broadcast sets plus both default sets, each set
   * newest first; a missing set is generated, as Hydra does. Serialised once per change.
   */
  async publicJwksDocument (): Promise<CachedJson> {
    return await this.documents.get(JWKS_CACHE_KEY, async () => {
      const keys: Jwk[] = []
      for (const set of this.publishedSets) {
        let rows = await this.store.listSet(set)
        if (rows.length === 0) {
          await this.ensureKeySet(set, false)
          rows = await this.store.listSet(set)
        }
        for (const row of rows) {
          const published = toPublicJwk(this.open(row))
          if (published !== undefined) keys.push(published)
        }
      }
      return toCachedJson({ keys })
    })
  }

  // ---- secret rotation -----------------------------------------------------------------------------------

  /**
   * Re-seals every key not sealed under the first secret (`warden migrate secrets`), after which older secrets
   * can be dropped from secrets.system.
   */
  async resealKeys (): Promise<{ total: number, resealed: number }> {
    const sealer = this.requireSealer('the stored JSON Web Keys')
    const rows = await this.store.listAll()
    let resealed = 0
    for (const row of rows) {
      const associatedData = keyAssociatedData(row.set, row.kid)
      if (sealer.isSealedWithCurrent(row.sealed, associatedData)) continue
      const text = this.openText(row)
      if (await this.store.updateSealed(row.set, row.kid, sealer.seal(text, associatedData))) resealed++
    }
    if (resealed > 0) this.changed()
    return { total: rows.length, resealed }
  }
}
