// Brings the database to a serving state (reachable, migrated, first-start tasks done) and reports readiness.
//
//   opened ──connect──► connected ──migrations ok──► prepared (ready)
//      │  (retry with backoff,  │
//      │   503 meanwhile)       └──pending, not --dev──► blocked: 503 "migrations pending", names the command
import type { Logger } from 'pino'
import type { Readiness } from '../http/app-deps.js'
import type { SqlDatabase } from '../persistence/sql/db.js'
import { migrateUp, pendingMigrations } from '../persistence/sql/migrator.js'
import { StartupError } from '../errors/startup-error.js'

export interface DatabaseLifecycleOptions {
  database: SqlDatabase
  logger: Logger
  /** Apply pending migrations instead of refusing them (`--dev` and the `memory` DSN). */
  isMigratingAutomatically: boolean
  /** First-start work that needs a migrated database, e.g. generating the default key sets. */
  onPrepared: () => Promise<void>
}

const PING_TIMEOUT_MS = 2000

export function pendingMigrationsMessage (versions: readonly string[]): string {
  return `the database has ${versions.length} pending migration(s) (${versions.join(', ')}); apply them with \`warden migrate sql up <DSN>\` (or \`warden migrate sql up -e\` with DSN set), or start with --dev to migrate automatically`
}

export class DatabaseLifecycle implements Readiness {
  readonly #options: DatabaseLifecycleOptions
  readonly #abort = new AbortController()
  #state: 'connecting' | 'blocked' | 'prepared' | 'failed' = 'connecting'
  #reason = 'the database has not answered yet'
  #prepared: Promise<void> | undefined

  constructor (options: DatabaseLifecycleOptions) {
    this.#options = options
  }

  get isPrepared (): boolean { return this.#state === 'prepared' }

  /**
   * One connection attempt now. When the database answers, pending migrations are a start-up error (unless
   * migrating automatically). When it does not, preparation continues in the background with backoff.
   */
  async start (): Promise<void> {
    const { database, logger } = this.#options
    try {
      await database.ping()
    } catch (error) {
      this.#reason = `the database is not reachable: ${(error as Error).message}`
      logger.error({ error: (error as Error).message }, 'the database is not reachable; serving 503 on /health/ready and retrying with backoff')
      this.#prepared = this.#prepareInBackground()
      return
    }
    await this.#prepare()
  }

  /** Resolves once the database is prepared (waits through outages); used before serving a self-signed cert. */
  async whenPrepared (): Promise<void> {
    if (this.#prepared === undefined) return
    await this.#prepared
    if (this.#state !== 'prepared') throw new StartupError(this.#reason)
  }

  async #prepareInBackground (): Promise<void> {
    try {
      await this.#options.database.connect({ signal: this.#abort.signal, giveUpAfterMs: Number.POSITIVE_INFINITY, resolveNetwork: false })
      await this.#prepare()
      this.#options.logger.info('the database is reachable again; ready')
    } catch (error) {
      if (this.#abort.signal.aborted) return
      this.#state = this.#state === 'blocked' ? 'blocked' : 'failed'
      this.#reason = (error as Error).message
      this.#options.logger.error({ error: this.#reason }, 'the database could not be prepared')
    }
  }

  async #prepare (): Promise<void> {
    const { database, logger, isMigratingAutomatically } = this.#options
    const pending = await pendingMigrations(database)
    if (pending.length > 0) {
      if (!isMigratingAutomatically) {
        this.#state = 'blocked'
        this.#reason = pendingMigrationsMessage(pending.map((m) => m.version))
        throw new StartupError(this.#reason)
      }
      const applied = await migrateUp(database)
      if (applied.length > 0) logger.info({ migrations: applied.map((m) => `${m.version}_${m.name}`) }, 'applied pending migrations')
    }
    await database.resolveNetwork()
    await this.#options.onPrepared()
    this.#state = 'prepared'
    this.#reason = ''
  }

  async check (): Promise<Record<string, string>> {
    if (this.#state === 'blocked') return { migrations: this.#reason }
    if (this.#state !== 'prepared') return { database: this.#reason }
    try {
      await withTimeout(this.#options.database.ping(), PING_TIMEOUT_MS)
      return {}
    } catch (error) {
      return { database: `the database is not reachable: ${(error as Error).message}` }
    }
  }

  /** Stops background retries (shutdown). */
  stop (): void {
    this.#abort.abort(new Error('shutting down'))
  }
}

async function withTimeout<T> (promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
