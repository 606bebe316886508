// Opens a Database from a DSN: lazy pools, start-up ping with backoff, and the network (nid) every row belongs to.
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { Kysely, sql } from 'kysely'
import type { CoreTables, Database, Dialect } from './database.js'
import { withExclusiveLock } from './database-lock.js'
import { createDialect } from './dialects.js'
import { parseDsn, type ParsedDsn } from './dsn.js'

/** What the database layer logs; a pino logger fits. */
export interface DatabaseLogger {
  info(details: object, message: string): void
  warn(details: object, message: string): void
}

export interface OpenDatabaseOptions {
  logger?: DatabaseLogger
  /** SQLite files: checkpoint the WAL in a worker thread (sqlite-checkpointer.ts). For servers, not short commands. */
  hasBackgroundCheckpoints?: boolean
}

export interface ConnectOptions {
  /** Aborting stops the retries; connect() then rejects with the signal's reason. */
  signal?: AbortSignal
  /** Called before each wait, e.g. for progress output. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  /** First wait between pings (default 250 ms); doubles up to maxDelayMs (default 5 s). */
  initialDelayMs?: number
  maxDelayMs?: number
  /** Give up and reject with the last error after this long (default 5 minutes, as Hydra). */
  giveUpAfterMs?: number
  /** Resolve the network id after the ping (default true). Migration commands pass false: no tables yet. */
  resolveNetwork?: boolean
}

/** A thrown database error that says which DSN (redacted) it concerns. */
export class DatabaseUnavailableError extends Error {
  constructor (message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DatabaseUnavailableError'
  }
}

export class SqlDatabase implements Database {
  readonly db: Kysely<CoreTables>
  readonly dialect: Dialect
  readonly dsn: ParsedDsn
  readonly #logger: DatabaseLogger | undefined
  readonly #dispose: () => void
  #networkId: string | undefined
  #closing: Promise<void> | undefined

  constructor (parsed: ParsedDsn, options: OpenDatabaseOptions = {}) {
    this.dsn = parsed
    this.dialect = parsed.dialect
    this.#logger = options.logger
    const created = createDialect(parsed, { hasBackgroundCheckpoints: options.hasBackgroundCheckpoints === true })
    this.#dispose = created.dispose
    this.db = new Kysely<CoreTables>({ dialect: created.dialect })
  }

  get networkId (): string {
    if (this.#networkId === undefined) {
      throw new Error('the network id is not known yet: call connect() (or resolveNetwork()) on the database first')
    }
    return this.#networkId
  }

  async ping (): Promise<void> {
    if (this.#closing !== undefined) throw new Error('the database has been closed')
    await sql`select 1`.execute(this.db)
  }

  /** Pings until the database answers (exponential backoff), then resolves the network id. */
  async connect (options: ConnectOptions = {}): Promise<void> {
    const started = Date.now()
    const maxDelayMs = options.maxDelayMs ?? 5000
    const giveUpAfterMs = options.giveUpAfterMs ?? 5 * 60_000
    let delayMs = options.initialDelayMs ?? 250
    for (let attempt = 1; ; attempt++) {
      options.signal?.throwIfAborted()
      try {
        await this.ping()
        break
      } catch (error) {
        if (this.#closing !== undefined) throw error
        if (Date.now() - started + delayMs > giveUpAfterMs) {
          throw new DatabaseUnavailableError(`the database at ${this.dsn.redacted} did not answer within ${Math.round(giveUpAfterMs / 1000)}s: ${(error as Error).message}`, { cause: error })
        }
        this.#logger?.warn({ attempt, delayMs, error: (error as Error).message }, 'the database is not reachable yet; retrying')
        options.onRetry?.(error, attempt, delayMs)
        options.signal?.throwIfAborted()
        await sleep(delayMs, undefined, options.signal === undefined ? {} : { signal: options.signal })
        delayMs = Math.min(delayMs * 2, maxDelayMs)
      }
    }
    if (options.resolveNetwork !== false) await this.resolveNetwork()
  }

  /**
   * Picks the oldest row of `networks` (Hydra's rule) and creates one when the table is empty. Creation runs
   * under a cross-process lock with a re-check, so replicas starting together agree on one network.
   */
  async resolveNetwork (): Promise<string> {
    let id: string | undefined
    try {
      id = await oldestNetwork(this.db)
      id ??= await withExclusiveLock(this, 'networks', async (connection) => {
        const existing = await oldestNetwork(connection)
        if (existing !== undefined) return existing
        const now = new Date()
        const created = randomUUID()
        await connection.insertInto('networks').values({ id: created, created_at: now, updated_at: now }).execute()
        this.#logger?.info({ networkId: created }, 'created the network row')
        return created
      })
    } catch (error) {
      if (await this.#hasNetworksTable()) throw error
      throw new DatabaseUnavailableError('the database schema is missing (no "networks" table): run `warden migrate sql up` first', { cause: error })
    }
    this.#networkId = id
    return id
  }

  async #hasNetworksTable (): Promise<boolean> {
    try {
      await this.db.selectFrom('networks').select('id').limit(1).execute()
      return true
    } catch {
      return false
    }
  }

  /** Closes the pool (or the SQLite file); safe to call more than once. */
  async close (): Promise<void> {
    this.#closing ??= this.db.destroy().finally(this.#dispose)
    await this.#closing
  }
}

async function oldestNetwork (db: Kysely<CoreTables>): Promise<string | undefined> {
  const row = await db.selectFrom('networks').select('id').orderBy('created_at', 'asc').orderBy('id', 'asc').limit(1).executeTakeFirst()
  return row?.id
}

/**
 * Opens a database without touching the network: pools connect lazily, so this succeeds while a server is
 * down (use connect() to wait for it). SQLite opens its file here and throws DsnError-like errors at once.
 */
export function openDatabase (dsn: string | ParsedDsn, options: OpenDatabaseOptions = {}): SqlDatabase {
  return new SqlDatabase(typeof dsn === 'string' ? parseDsn(dsn) : dsn, options)
}
