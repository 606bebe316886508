// TokensStore on SQL: hydra_oauth2_code / _access / _refresh / _jti_blacklist (see migration 20261129000400).
import type { Kysely, Selectable } from 'kysely'
import type { RefreshRecord, TokenRecord } from '../../tokens/token.js'
import type { TokensStore, TokenWrites } from '../../tokens/tokens.store.js'
import type { Database, Dialect } from './database.js'
import { GroupCommit } from './group-commit.js'
import { transaction } from './transaction.js'
import { isLockNotAvailable, isUniqueViolation } from './driver-errors.js'

interface TokenTable {
  signature: string
  nid: string
  request_id: string
  challenge_id: string | null
  requested_at: Date
  client_id: string
  scope: string
  granted_scope: string
  requested_audience: string
  granted_audience: string
  form_data: string
  session_data: string
  subject: string
  active: boolean | number
  expires_at: Date
}

interface RefreshTable extends TokenTable {
  first_used_at: Date | null
  used_times: number
  access_token_signature: string | null
}

export type TokensTables = {
  hydra_oauth2_code: TokenTable
  hydra_oauth2_access: TokenTable
  hydra_oauth2_refresh: RefreshTable
  hydra_oauth2_jti_blacklist: { signature: string, nid: string, expires_at: Date }
}

type TokensDb = Kysely<TokensTables>
type PlainTable = 'hydra_oauth2_code' | 'hydra_oauth2_access'

// Hydra stores lists pipe-delimited.
const joinList = (list: readonly string[]): string => list.join('|')
const splitList = (text: string): string[] => text === '' ? [] : text.split('|')

function toRow (record: TokenRecord, nid: string): TokenTable {
  return {
    signature: record.signature,
    nid,
    request_id: record.requestId,
    challenge_id: record.challengeId,
    requested_at: record.requestedAt,
    client_id: record.clientId,
    scope: joinList(record.requestedScope),
    granted_scope: joinList(record.grantedScope),
    requested_audience: joinList(record.requestedAudience),
    granted_audience: joinList(record.grantedAudience),
    form_data: record.formData,
    session_data: record.sessionData,
    subject: record.subject,
    active: record.isActive,
    expires_at: record.expiresAt
  }
}

function fromRow (row: Selectable<TokenTable>): TokenRecord {
  return {
    signature: row.signature,
    requestId: row.request_id,
    challengeId: row.challenge_id,
    requestedAt: row.requested_at,
    clientId: row.client_id,
    requestedScope: splitList(row.scope),
    grantedScope: splitList(row.granted_scope),
    requestedAudience: splitList(row.requested_audience),
    grantedAudience: splitList(row.granted_audience),
    formData: row.form_data,
    sessionData: row.session_data,
    subject: row.subject,
    isActive: row.active === true || row.active === 1,
    expiresAt: row.expires_at
  }
}

function fromRefreshRow (row: Selectable<RefreshTable>): RefreshRecord {
  return { ...fromRow(row), firstUsedAt: row.first_used_at, usedTimes: Number(row.used_times), accessTokenSignature: row.access_token_signature }
}

class SqlTokenWrites implements TokenWrites {
  protected readonly db: TokensDb
  protected readonly dialect: Dialect
  // Read lazily: the container is built before the database resolves its network id.
  private readonly nidOf: () => string

  constructor (db: TokensDb, nidOf: () => string, dialect: Dialect) {
    this.db = db
    this.nidOf = nidOf
    this.dialect = dialect
  }

  protected get nid (): string { return this.nidOf() }

  /** One INSERT; the standalone store overrides this to share commits on SQLite. */
  protected async insertRow<T extends keyof TokensTables> (table: T, row: TokensTables[T]): Promise<void> {
    await this.db.insertInto(table).values(row as never).execute()
  }

  async insertCode (record: TokenRecord): Promise<void> {
    await this.insertRow('hydra_oauth2_code', toRow(record, this.nid))
  }

  async insertAccess (record: TokenRecord): Promise<void> {
    await this.insertRow('hydra_oauth2_access', toRow(record, this.nid))
  }

  async insertRefresh (record: RefreshRecord): Promise<void> {
    await this.insertRow('hydra_oauth2_refresh', {
      ...toRow(record, this.nid),
      first_used_at: record.firstUsedAt,
      used_times: record.usedTimes,
      access_token_signature: record.accessTokenSignature
    })
  }

  async useCode (signature: string, keepUntil: Date): Promise<boolean> {
    // A conditional update: of two concurrent exchanges only one sees the row still active.
    const result = await this.db.updateTable('hydra_oauth2_code')
      .set({ active: false, expires_at: keepUntil })
      .where('signature', '=', signature).where('nid', '=', this.nid).where('active', '=', true)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  async lockRefresh (signature: string): Promise<RefreshRecord | undefined | 'locked'> {
    let query = this.db.selectFrom('hydra_oauth2_refresh').selectAll()
      .where('signature', '=', signature).where('nid', '=', this.nid)
    // SQLite serialises writers with BEGIN IMMEDIATE; elsewhere a row lock that fails fast instead of queueing.
    if (this.dialect !== 'sqlite') query = query.forUpdate().noWait()
    try {
      const row = await query.executeTakeFirst()
      return row === undefined ? undefined : fromRefreshRow(row)
    } catch (error) {
      if (isLockNotAvailable(error)) return 'locked'
      throw error
    }
  }

  async markRefreshUsed (signature: string, usedAt: Date, keepUntil: Date): Promise<void> {
    await this.db.updateTable('hydra_oauth2_refresh')
      .set((eb) => ({
        active: false,
        expires_at: keepUntil,
        first_used_at: eb.fn.coalesce('first_used_at', eb.val(usedAt)),
        used_times: eb('used_times', '+', 1)
      }))
      .where('signature', '=', signature).where('nid', '=', this.nid)
      .execute()
  }

  async deactivateChainRefresh (requestId: string, keepUntil: Date): Promise<void> {
    await this.db.updateTable('hydra_oauth2_refresh').set({ active: false, expires_at: keepUntil })
      .where('request_id', '=', requestId).where('nid', '=', this.nid).where('active', '=', true)
      .execute()
  }

  async deleteAccess (signature: string): Promise<void> {
    await this.db.deleteFrom('hydra_oauth2_access').where('signature', '=', signature).where('nid', '=', this.nid).execute()
  }

  async deleteChainAccess (requestId: string): Promise<void> {
    await this.db.deleteFrom('hydra_oauth2_access').where('request_id', '=', requestId).where('nid', '=', this.nid).execute()
  }

  async revokeChain (requestId: string): Promise<void> {
    await this.deleteChainAccess(requestId)
    await this.db.deleteFrom('hydra_oauth2_refresh').where('request_id', '=', requestId).where('nid', '=', this.nid).execute()
  }
}

export class SqlTokensStore extends SqlTokenWrites implements TokensStore {
  // Only outside atomically(): a row written on its own may share its statement and commit with others (group-commit.ts).
  readonly #groupCommit: GroupCommit

  constructor (database: Database) {
    super(database.db.withTables<TokensTables>(), () => database.networkId, database.dialect)
    this.#groupCommit = new GroupCommit(this.db)
  }

  protected override async insertRow<T extends keyof TokensTables> (table: T, row: TokensTables[T]): Promise<void> {
    await this.#groupCommit.insert(table, row as unknown as Record<string, unknown>)
  }

  async atomically<T> (work: (writes: TokenWrites) => Promise<T>): Promise<T> {
    return await transaction({ db: this.db, dialect: this.dialect }, async (trx) => {
      const nid = this.nid
      return await work(new SqlTokenWrites(trx, () => nid, this.dialect))
    })
  }

  private async findIn (table: PlainTable, signature: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom(table).selectAll().where('signature', '=', signature).where('nid', '=', this.nid).executeTakeFirst()
    return row === undefined ? undefined : fromRow(row)
  }

  async findCode (signature: string): Promise<TokenRecord | undefined> { return await this.findIn('hydra_oauth2_code', signature) }

  async findAccess (signature: string): Promise<TokenRecord | undefined> { return await this.findIn('hydra_oauth2_access', signature) }

  async findRefresh (signature: string): Promise<RefreshRecord | undefined> {
    const row = await this.db.selectFrom('hydra_oauth2_refresh').selectAll()
      .where('signature', '=', signature).where('nid', '=', this.nid).executeTakeFirst()
    return row === undefined ? undefined : fromRefreshRow(row)
  }

  async deleteClientAccessTokens (clientId: string): Promise<number> {
    const result = await this.db.deleteFrom('hydra_oauth2_access').where('client_id', '=', clientId).where('nid', '=', this.nid).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async useJti (jtiHash: string, expiresAt: Date, now: Date): Promise<boolean> {
    await this.db.deleteFrom('hydra_oauth2_jti_blacklist').where('nid', '=', this.nid).where('expires_at', '<', now).execute()
    try {
      await this.db.insertInto('hydra_oauth2_jti_blacklist').values({ signature: jtiHash, nid: this.nid, expires_at: expiresAt }).execute()
      return true
    } catch (error) {
      if (isUniqueViolation(error)) return false
      throw error
    }
  }

  async deleteExpiredBatch (table: 'access' | 'refresh' | 'code', expiredBefore: Date, batchSize: number): Promise<number> {
    const name = `hydra_oauth2_${table}` as const
    // One short statement per batch that finds its rows through the expires_at index: no table-wide lock.
    // MySQL refuses LIMIT inside an IN subquery but has DELETE ... LIMIT; the others take the subquery form.
    const result = this.dialect === 'mysql'
      ? await this.db.deleteFrom(name).where('nid', '=', this.nid).where('expires_at', '<', expiredBefore).limit(batchSize).executeTakeFirst()
      : await this.db.deleteFrom(name).where('signature', 'in', (eb) => eb.selectFrom(name).select('signature')
        .where('nid', '=', this.nid).where('expires_at', '<', expiredBefore).limit(batchSize)).executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}
