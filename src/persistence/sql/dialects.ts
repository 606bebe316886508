// Builds the Kysely dialect for a parsed DSN, normalising values so every store sees the same JS types.
//
// What stores can rely on, on all three databases (see also database.ts):
//   - Date parameters are stored as UTC (SQLite: 'YYYY-MM-DD HH:MM:SS.sss' text, which sorts like
//     CURRENT_TIMESTAMP), and TIMESTAMP/DATETIME columns come back as Date.
//   - boolean parameters work everywhere (SQLite gets 1/0); BOOLEAN columns come back as boolean
//     (SQLite: declared BOOLEAN; MySQL: TINYINT(1)).
//   - BIGINT/COUNT(*) come back as number when it is a safe integer, as a decimal string otherwise.
//   - Sessions run in UTC, so CURRENT_TIMESTAMP defaults agree with Date parameters.
import BetterSqlite3 from 'better-sqlite3'
// The PostgreSQL and MySQL drivers are imported when a pool of that dialect is first created, so processes that
// never open such a DSN (SQLite, or CLI commands without a database) do not pay for loading them.
import type { createPool as createMysqlPool } from 'mysql2'
import type pg from 'pg'
import { readFileSync } from 'node:fs'
import type { ConnectionOptions as TlsOptions } from 'node:tls'
import {
  CompiledQuery, MysqlDialect, PostgresDialect, SqliteDialect, SqliteDriver,
  type DatabaseConnection, type Dialect as KyselyDialect, type Driver, type MysqlPool, type PostgresPool, type PostgresPoolClient,
  type SqliteDatabase, type SqliteDialectConfig, type SqliteStatement
} from 'kysely'
import type { MysqlDsn, ParsedDsn, PostgresDsn, SqliteDsn } from './dsn.js'
import { startBackgroundCheckpoints } from './sqlite-checkpointer.js'

const TIMESTAMP_TYPE = /^(timestamp|datetime)/i
const BOOLEAN_TYPE = /^bool/i
const SQLITE_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/

export interface CreatedDialect {
  dialect: KyselyDialect
  /** Releases what Kysely never initialised (the eagerly opened SQLite file); Kysely's destroy() does the rest. */
  dispose(): void
}

/** Pools are created on first use (Kysely calls the factory), so opening never touches the network. */
export function createDialect (parsed: ParsedDsn, options: { hasBackgroundCheckpoints?: boolean } = {}): CreatedDialect {
  switch (parsed.dialect) {
    case 'sqlite': return sqliteDialect(parsed, options.hasBackgroundCheckpoints === true)
    case 'postgres': return { dialect: postgresDialect(parsed), dispose: () => {} }
    case 'mysql': return { dialect: mysqlDialect(parsed), dispose: () => {} }
  }
}

// ---------------------------------------------------------------- SQLite

/** SQLite's text form of an instant: UTC, space separated, millisecond precision. */
export function toSqliteTimestamp (date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '')
}

function fromSqliteTimestamp (text: string): Date | string {
  const match = SQLITE_TIMESTAMP.exec(text)
  if (match === null) return text
  const date = new Date(`${match[1]}T${match[2]}${match[3] ?? 'Z'}`)
  return Number.isNaN(date.getTime()) ? text : date
}

function toSqliteParameter (value: unknown): unknown {
  if (value instanceof Date) return toSqliteTimestamp(value)
  if (typeof value === 'boolean') return value ? 1 : 0
  return value
}

type RowConverter = (row: Record<string, unknown>) => Record<string, unknown>

function rowConverter (statement: BetterSqlite3.Statement): RowConverter | undefined {
  const conversions: Array<[string, (value: unknown) => unknown]> = []
  for (const column of statement.columns()) {
    const type = column.type ?? ''
    if (TIMESTAMP_TYPE.test(type)) conversions.push([column.name, (v) => typeof v === 'string' ? fromSqliteTimestamp(v) : v])
    else if (BOOLEAN_TYPE.test(type)) conversions.push([column.name, (v) => typeof v === 'number' ? v !== 0 : v])
  }
  if (conversions.length === 0) return undefined
  return (row) => {
    for (const [name, convert] of conversions) if (name in row) row[name] = convert(row[name])
    return row
  }
}

// Kysely prepares every query afresh; preparing costs about as much as running a small INSERT, so statements are
// kept per SQL text. Bounded because queries with variable-length IN lists produce many texts.
const MAX_CACHED_STATEMENTS = 500
const SCHEMA_CHANGE = /^\s*(create|alter|drop|pragma)\b/i

function wrapStatement (statement: BetterSqlite3.Statement): SqliteStatement {
  const convertRow = statement.reader ? rowConverter(statement) : undefined
  const params = (parameters: ReadonlyArray<unknown>): unknown[] => parameters.map(toSqliteParameter)
  return {
    reader: statement.reader,
    all: (parameters) => {
      const rows = statement.all(...params(parameters)) as Array<Record<string, unknown>>
      return convertRow === undefined ? rows : rows.map(convertRow)
    },
    run: (parameters) => statement.run(...params(parameters)),
    * iterate (parameters) {
      for (const row of statement.iterate(...params(parameters)) as Iterable<Record<string, unknown>>) {
        yield convertRow === undefined ? row : convertRow(row)
      }
    }
  }
}

/** The subset of better-sqlite3 Kysely uses, with parameter and row conversion in between. */
function convertingSqlite (raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, { statement: BetterSqlite3.Statement, wrapped: SqliteStatement }>()
  return {
    close: () => { cache.clear(); if (raw.open) raw.close() },
    prepare (sqlText: string): SqliteStatement {
      // A schema change (migrations) makes cached column lists stale, so it empties the cache and is not kept.
      if (SCHEMA_CHANGE.test(sqlText)) {
        cache.clear()
        return wrapStatement(raw.prepare(sqlText))
      }
      const cached = cache.get(sqlText)
      // A statement still being iterated cannot run again; such a caller gets a fresh one.
      if (cached !== undefined && !cached.statement.busy) return cached.wrapped
      const statement = raw.prepare(sqlText)
      const wrapped = wrapStatement(statement)
      if (cached === undefined) {
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear()
        cache.set(sqlText, { statement, wrapped })
      }
      return wrapped
    }
  }
}

/** Opens the file and sets the pragmas Warden relies on; throws synchronously on an unusable path. */
export function openSqlite (parsed: SqliteDsn): BetterSqlite3.Database {
  let raw: BetterSqlite3.Database
  try {
    raw = new BetterSqlite3(parsed.filename, { timeout: parsed.busyTimeoutMs })
  } catch (error) {
    throw new Error(`cannot open the SQLite database ${parsed.filename}: ${(error as Error).message}`, { cause: error })
  }
  // busy_timeout first: switching to WAL needs a lock that a concurrently starting process may hold.
  raw.pragma(`busy_timeout = ${parsed.busyTimeoutMs}`)
  if (!parsed.isMemory) raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = NORMAL')
  raw.pragma('foreign_keys = ON')
  return raw
}

/**
 * Kysely's SQLite driver begins transactions with a deferred BEGIN; a deferred transaction that reads and
 * then writes fails at once with SQLITE_BUSY when another process writes. BEGIN IMMEDIATE takes the write
 * lock up front and waits up to busy_timeout, which is what every Warden transaction wants.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction (connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig
  constructor (config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }

  override createDriver (): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
}

function sqliteDialect (parsed: SqliteDsn, hasBackgroundCheckpoints: boolean): CreatedDialect {
  const database = convertingSqlite(openSqlite(parsed))
  const checkpointer = parsed.isMemory || !hasBackgroundCheckpoints ? undefined : startBackgroundCheckpoints(parsed.filename)
  return {
    dialect: new ImmediateSqliteDialect({ database }),
    dispose: () => {
      void checkpointer?.stop()
      database.close()
    }
  }
}

// ---------------------------------------------------------------- PostgreSQL

const PG_INT8 = 20
const PG_TIMESTAMP = 1114

function parseInt8 (text: string): number | string {
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : text
}

type PgModule = typeof pg

const pgTypes = (driver: PgModule): pg.CustomTypesConfig => ({
  getTypeParser (oid: number, format?: string): unknown {
    if (format !== 'binary' && oid === PG_INT8) return parseInt8
    // `timestamp` carries no zone; Warden writes UTC wall time into it, so read it back as UTC.
    if (format !== 'binary' && oid === PG_TIMESTAMP) return (text: string) => new Date(`${text.replace(' ', 'T')}Z`)
    return (driver.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format)
  }
}) as unknown as pg.CustomTypesConfig

function pgSsl (parsed: PostgresDsn, enabled: boolean): false | TlsOptions {
  if (!enabled) return false
  const verify = parsed.sslMode === 'verify-ca' || parsed.sslMode === 'verify-full'
  const ssl: TlsOptions = { rejectUnauthorized: verify }
  // verify-ca checks the chain but not the host name, as libpq does.
  if (parsed.sslMode === 'verify-ca') ssl.checkServerIdentity = () => undefined
  if (parsed.sslRootCertPath !== undefined) ssl.ca = readFileSync(parsed.sslRootCertPath)
  if (parsed.sslCertPath !== undefined) ssl.cert = readFileSync(parsed.sslCertPath)
  if (parsed.sslKeyPath !== undefined) ssl.key = readFileSync(parsed.sslKeyPath)
  return ssl
}

function pgPool (driver: PgModule, parsed: PostgresDsn, useSsl: boolean): pg.Pool {
  const config: pg.PoolConfig = {
    host: parsed.host,
    port: parsed.port,
    user: parsed.user,
    database: parsed.database,
    ssl: pgSsl(parsed, useSsl),
    types: pgTypes(driver),
    max: parsed.pool.maxConns,
    idleTimeoutMillis: parsed.pool.maxConnIdleTimeMs === 0 ? 10_000 : parsed.pool.maxConnIdleTimeMs,
    connectionTimeoutMillis: parsed.connectTimeoutMs,
    allowExitOnIdle: true
  }
  if (parsed.password !== undefined) config.password = parsed.password
  if (parsed.pool.maxConnLifetimeMs > 0) config.maxLifetimeSeconds = Math.max(1, Math.round(parsed.pool.maxConnLifetimeMs / 1000))
  if (parsed.applicationName !== undefined) config.application_name = parsed.applicationName
  const pool = new driver.Pool(config)
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {})
  return pool
}

/**
 * Wraps pg's pool so that (1) Date parameters are sent as ISO strings in UTC, independent of the process time
 * zone, and (2) sslmode=prefer works as libpq's: try TLS, and fall back to plain text for good when the server
 * says it has no TLS. (sslmode=allow is treated as disable.)
 */
class PgPoolAdapter implements PostgresPool {
  #pool: pg.Pool
  #mayFallBack: boolean
  #retired: pg.Pool | undefined
  readonly #parsed: PostgresDsn
  readonly #driver: PgModule

  constructor (driver: PgModule, parsed: PostgresDsn) {
    this.#driver = driver
    this.#parsed = parsed
    const useSsl = parsed.sslMode !== 'disable' && parsed.sslMode !== 'allow'
    this.#mayFallBack = parsed.sslMode === 'prefer'
    this.#pool = pgPool(driver, parsed, useSsl)
  }

  async connect (): Promise<PostgresPoolClient> {
    const pool = this.#pool
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      if (!/does not support SSL/i.test((error as Error).message)) throw error
      // Several first connections can fail together: the first swaps the pool, the others just use the new one.
      if (this.#pool === pool) {
        if (!this.#mayFallBack) throw error
        this.#mayFallBack = false
        this.#pool = pgPool(this.#driver, this.#parsed, false)
        this.#retired = pool // ended in end(): connects still pending on it must fail with the TLS error, not "pool ended"
      }
      client = await this.#pool.connect()
    }
    return {
      query: ((text: unknown, parameters?: ReadonlyArray<unknown>) => typeof text === 'string'
        ? client.query(text, parameters?.map((v) => v instanceof Date ? v.toISOString() : v))
        : client.query(text as never)) as unknown as PostgresPoolClient['query'],
      release: (destroy?: boolean) => { client.release(destroy) }
    }
  }

  async end (): Promise<void> {
    await Promise.all([this.#pool.end(), this.#retired?.end()])
  }
}

function postgresDialect (parsed: PostgresDsn): KyselyDialect {
  return new PostgresDialect({
    pool: async () => new PgPoolAdapter((await import('pg')).default, parsed),
    onCreateConnection: async (connection) => {
      await connection.executeQuery(CompiledQuery.raw("set time zone 'UTC'"))
    }
  })
}

// ---------------------------------------------------------------- MySQL / MariaDB

interface MysqlField { type: string, length: number, string(): string | null }

function mysqlDialect (parsed: MysqlDsn): KyselyDialect {
  const pool = async (): Promise<MysqlPool> => (await import('mysql2')).createPool({
    ...(parsed.socketPath !== undefined ? { socketPath: parsed.socketPath } : { host: parsed.host, port: parsed.port }),
    user: parsed.user,
    ...(parsed.password !== undefined ? { password: parsed.password } : {}),
    database: parsed.database,
    ...(parsed.tls === false ? {} : { ssl: { rejectUnauthorized: parsed.tls === 'verify' } }),
    ...(parsed.charset !== undefined ? { charset: parsed.charset } : { charset: 'utf8mb4' }),
    connectTimeout: parsed.connectTimeoutMs,
    connectionLimit: parsed.pool.maxConns,
    maxIdle: Math.min(parsed.pool.maxIdleConns, parsed.pool.maxConns),
    idleTimeout: parsed.pool.maxConnIdleTimeMs === 0 ? 60_000 : parsed.pool.maxConnIdleTimeMs,
    enableKeepAlive: true,
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    multipleStatements: false,
    typeCast: (field: MysqlField, next: () => unknown) => {
      if (field.type === 'TINY' && field.length === 1) {
        const text = field.string()
        return text === null ? null : text !== '0'
      }
      return next()
    }
  } as Parameters<typeof createMysqlPool>[0]) as unknown as MysqlPool
  return new MysqlDialect({
    pool,
    onCreateConnection: async (connection) => {
      await connection.executeQuery(CompiledQuery.raw("set time_zone = '+00:00'"))
    }
  })
}
