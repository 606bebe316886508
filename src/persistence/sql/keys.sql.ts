// KeysStore on SQL (table hydra_jwk, as Hydra's): one row per key, sealed key data, scoped by network.
import { createHash, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { DuplicateKeyError } from '../../keys/keys.store.js'
import type { InsertIfEmptyResult, KeysStore, StoredKey } from '../../keys/keys.store.js'
import type { Database, Dialect } from './database.js'
import { withExclusiveLock } from './database-lock.js'
import { transaction } from './transaction.js'
import { isUniqueViolation } from './driver-errors.js'

type JwkTable = {
  pk: string
  sid: string
  kid: string
  version: number
  keydata: string
  created_at: Date
  nid: string
}

// Type aliases, not interfaces: withTables<T> needs T to have an implicit index signature.
export type KeysTables = {
  hydra_jwk: JwkTable
}

type KeysDb = Kysely<KeysTables>

function toStoredKey (row: Pick<JwkTable, 'sid' | 'kid' | 'keydata' | 'created_at'>): StoredKey {
  const createdAt = row.created_at instanceof Date ? row.created_at : new Date(row.created_at as unknown as string)
  return { set: row.sid, kid: row.kid, sealed: row.keydata, createdAt }
}

/** Which (set, kid) of a batch collided; the driver's message differs per database, so ask the batch. */
function duplicateOf (keys: readonly StoredKey[]): DuplicateKeyError {
  const first = keys[0]
  return new DuplicateKeyError(first?.set ?? '', first?.kid ?? '')
}

export class SqlKeysStore implements KeysStore {
  private readonly db: KeysDb
  private readonly dialect: Dialect
  private readonly database: Database

  constructor (database: Database) {
    this.database = database
    this.db = database.db.withTables<KeysTables>() as unknown as KeysDb
    this.dialect = database.dialect
  }

  // Read per call: the network is resolved on connect(), after the store may have been built.
  private get nid (): string { return this.database.networkId }

  private selectSet (db: KeysDb, set: string) {
    return db.selectFrom('hydra_jwk')
      .select(['sid', 'kid', 'keydata', 'created_at'])
      .where('nid', '=', this.nid)
      .where('sid', '=', set)
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'asc')
  }

  async listSet (set: string): Promise<StoredKey[]> {
    return (await this.selectSet(this.db, set).execute()).map(toStoredKey)
  }

  async find (set: string, kid: string): Promise<StoredKey | undefined> {
    const row = await this.selectSet(this.db, set).where('kid', '=', kid).executeTakeFirst()
    return row === undefined ? undefined : toStoredKey(row)
  }

  async listAll (): Promise<StoredKey[]> {
    const rows = await this.db.selectFrom('hydra_jwk')
      .select(['sid', 'kid', 'keydata', 'created_at'])
      .where('nid', '=', this.nid)
      .orderBy('sid', 'asc')
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'asc')
      .execute()
    return rows.map(toStoredKey)
  }

  private rowsOf (keys: readonly StoredKey[]): JwkTable[] {
    return keys.map((key) => ({
      pk: randomUUID(),
      sid: key.set,
      kid: key.kid,
      version: 0,
      keydata: key.sealed,
      created_at: key.createdAt,
      nid: this.nid
    }))
  }

  private async insertRows (db: KeysDb, keys: readonly StoredKey[]): Promise<void> {
    if (keys.length === 0) return
    try {
      await db.insertInto('hydra_jwk').values(this.rowsOf(keys)).execute()
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      throw await this.findDuplicate(db, keys)
    }
  }

  private async findDuplicate (db: KeysDb, keys: readonly StoredKey[]): Promise<DuplicateKeyError> {
    const seen = new Set<string>()
    for (const key of keys) {
      const id = JSON.stringify([key.set, key.kid])
      if (seen.has(id)) return new DuplicateKeyError(key.set, key.kid)
      seen.add(id)
    }
    // On PostgreSQL the failed statement aborted the transaction (if any), so only look outside one.
    if (db !== this.db) return duplicateOf(keys)
    for (const key of keys) {
      if (await this.find(key.set, key.kid) !== undefined) return new DuplicateKeyError(key.set, key.kid)
    }
    return duplicateOf(keys)
  }

  async insert (keys: readonly StoredKey[]): Promise<void> {
    await this.insertRows(this.db, keys)
  }

  async replaceSet (set: string, keys: readonly StoredKey[]): Promise<void> {
    await transaction({ db: this.db, dialect: this.dialect }, async (trx) => {
      await trx.deleteFrom('hydra_jwk').where('nid', '=', this.nid).where('sid', '=', set).execute()
      await this.insertRows(trx, keys.map((key) => ({ ...key, set })))
    })
  }

  async replaceKey (key: StoredKey): Promise<void> {
    await transaction({ db: this.db, dialect: this.dialect }, async (trx) => {
      await trx.deleteFrom('hydra_jwk').where('nid', '=', this.nid).where('sid', '=', key.set).where('kid', '=', key.kid).execute()
      await this.insertRows(trx, [key])
    })
  }

  async deleteSet (set: string): Promise<number> {
    const result = await this.db.deleteFrom('hydra_jwk').where('nid', '=', this.nid).where('sid', '=', set).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async deleteKey (set: string, kid: string): Promise<number> {
    const result = await this.db.deleteFrom('hydra_jwk')
      .where('nid', '=', this.nid).where('sid', '=', set).where('kid', '=', kid).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async updateSealed (set: string, kid: string, sealed: string): Promise<boolean> {
    const result = await this.db.updateTable('hydra_jwk').set({ keydata: sealed })
      .where('nid', '=', this.nid).where('sid', '=', set).where('kid', '=', kid).executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /**
   * "Read the set; insert only if empty" under withExclusiveLock (pg_advisory_lock / GET_LOCK / BEGIN
   * IMMEDIATE), keyed by network and set, so racing processes serialise and exactly one inserts.
   */
  async insertIfSetEmpty (set: string, candidates: readonly StoredKey[]): Promise<InsertIfEmptyResult> {
    // Short: MySQL lock names are capped at 64 characters and withExclusiveLock appends the database name.
    const lockName = `jwk:${createHash('sha256').update(JSON.stringify([this.nid, set])).digest('hex').slice(0, 24)}`
    return await withExclusiveLock(this.database, lockName, async (connection) => {
      const db = connection as unknown as KeysDb
      const existing = (await this.selectSet(db, set).execute()).map(toStoredKey)
      if (existing.length > 0) return { inserted: false, keys: existing }
      await this.insertRows(db, candidates.map((key) => ({ ...key, set })))
      return { inserted: true, keys: (await this.selectSet(db, set).execute()).map(toStoredKey) }
    })
  }
}
