// Storage of JSON Web Keys (Hydra's hydra_jwk): opaque sealed key data, addressed by set and kid, per network.

/** One stored key. The store never sees plaintext: `sealed` is produced and opened by KeysService. */
export interface StoredKey {
  set: string
  kid: string
  sealed: string
  createdAt: Date
}

/** Raised by inserts when (set, kid) already exists in the network. */
export class DuplicateKeyError extends Error {
  readonly set: string
  readonly kid: string
  constructor (set: string, kid: string) {
    super(`JSON Web Key ${kid} already exists in set ${set}`)
    this.name = 'DuplicateKeyError'
    this.set = set
    this.kid = kid
  }
}

export interface InsertIfEmptyResult {
  /** True when this call inserted its candidates; false when the set already had keys. */
  inserted: boolean
  /** The set as stored afterwards, newest first. */
  keys: StoredKey[]
}

export interface KeysStore {
  /** Keys of a set, newest first (created_at descending, then kid ascending); [] when the set does not exist. */
  listSet(set: string): Promise<StoredKey[]>
  find(set: string, kid: string): Promise<StoredKey | undefined>
  /** Every key of every set in the network (startup checks, secret re-encryption), ordered by set then newest first. */
  listAll(): Promise<StoredKey[]>
  /** Adds keys, all or nothing; DuplicateKeyError when one (set, kid) exists already. */
  insert(keys: readonly StoredKey[]): Promise<void>
  /** Replaces every key of `set` with `keys` in one transaction. */
  replaceSet(set: string, keys: readonly StoredKey[]): Promise<void>
  /** Replaces the key (key.set, key.kid), inserting it when absent, in one transaction. */
  replaceKey(key: StoredKey): Promise<void>
  /** Number of keys removed. */
  deleteSet(set: string): Promise<number>
  deleteKey(set: string, kid: string): Promise<number>
  /** Swaps the sealed data of one key (re-encryption under a new secret); false when the key is gone. */
  updateSealed(set: string, kid: string, sealed: string): Promise<boolean>
  /**
   * Inserts `candidates` only when `set` holds no key, as one step that concurrent callers in other processes
   * cannot interleave with (advisory lock / GET_LOCK / BEGIN IMMEDIATE). Exactly one of many racing callers
   * inserts; the others get `inserted: false` and the winner's keys.
   */
  insertIfSetEmpty(set: string, candidates: readonly StoredKey[]): Promise<InsertIfEmptyResult>
}
