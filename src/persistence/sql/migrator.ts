// Applies and rolls back the versioned SQL migrations, safely when several processes migrate one database at once.
//
// Every run takes the database's exclusive "migrations" lock (database-lock.ts), then re-reads what is applied,
// so concurrent `migrate sql up` calls apply each migration exactly once. Bookkeeping lives in
// warden_schema_migration(version, name, applied_at).
//
// Transactions: on PostgreSQL each migration (its statements + its bookkeeping row) is one transaction. SQLite
// runs the whole run inside the lock's BEGIN IMMEDIATE transaction with one savepoint per migration, so a
// failing migration leaves the earlier ones applied, as on PostgreSQL; `PRAGMA foreign_keys` cannot change
// inside it (use `PRAGMA defer_foreign_keys = ON` for table rebuilds). MySQL commits DDL implicitly, so a
// migration there is NOT atomic: one that fails half-way must be repaired by hand; keep MySQL migrations to
// one DDL statement where possible.
import { sql, type Kysely } from 'kysely'
import type { Database, Dialect } from './database.js'
import { withExclusiveLock } from './database-lock.js'
import type { DatabaseLogger } from './db.js'
import { defaultMigrationsDirectory, loadMigrations, type MigrationDefinition } from './migration-files.js'

export const MIGRATION_TABLE = 'warden_schema_migration'

export interface MigratorOptions {
  /** Defaults to src/persistence/sql/migrations of this package. */
  directory?: string
  logger?: DatabaseLogger
  /** MySQL: how long to wait for another process's migration run (default 600 s). */
  lockTimeoutSeconds?: number
}

export interface MigrationRecord {
  version: string
  name: string
}

export interface MigrationStatus extends MigrationRecord {
  applied: boolean
  appliedAt?: Date
  /** False for a version recorded as applied whose file is gone (a newer Warden migrated this database). */
  hasFile: boolean
}

export class MigrationError extends Error {
  readonly version: string
  readonly migrationName: string
  constructor (message: string, migration: MigrationRecord, cause: unknown) {
    super(message, { cause })
    this.name = 'MigrationError'
    this.version = migration.version
    this.migrationName = migration.name
  }
}

type MigratorDatabase = Pick<Database, 'db' | 'dialect'>
interface AppliedRow { version: string, name: string, applied_at: Date | string }

const TABLE_DDL: Record<Dialect, string> = {
  sqlite: `create table if not exists ${MIGRATION_TABLE} (version varchar(14) not null primary key, name varchar(255) not null, applied_at timestamp not null)`,
  postgres: `create table if not exists ${MIGRATION_TABLE} (version varchar(14) not null primary key, name varchar(255) not null, applied_at timestamp not null)`,
  mysql: `create table if not exists ${MIGRATION_TABLE} (version varchar(14) not null primary key, name varchar(255) not null, applied_at datetime(3) not null) engine=InnoDB`
}

async function tableExists (db: Kysely<any>, dialect: Dialect): Promise<boolean> {
  if (dialect === 'sqlite') {
    const { rows } = await sql`select 1 as present from sqlite_master where type = 'table' and name = ${MIGRATION_TABLE}`.execute(db)
    return rows.length > 0
  }
  if (dialect === 'postgres') {
    const { rows } = await sql<{ present: boolean }>`select to_regclass(${MIGRATION_TABLE}) is not null as present`.execute(db)
    return rows[0]?.present === true
  }
  const { rows } = await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = database() and table_name = ${MIGRATION_TABLE}`.execute(db)
  return Number(rows[0]?.n) > 0
}

async function appliedRows (db: Kysely<any>): Promise<AppliedRow[]> {
  return await db.selectFrom(MIGRATION_TABLE).select(['version', 'name', 'applied_at']).orderBy('version', 'asc').execute() as AppliedRow[]
}

function load (database: MigratorDatabase, options: MigratorOptions): MigrationDefinition[] {
  return loadMigrations(options.directory ?? defaultMigrationsDirectory(), database.dialect)
}

/** Every known migration (files plus versions recorded in the database), oldest first, with its state. */
export async function migrationStatus (database: MigratorDatabase, options: MigratorOptions = {}): Promise<MigrationStatus[]> {
  const definitions = load(database, options)
  const db = database.db as Kysely<any>
  const rows = await tableExists(db, database.dialect) ? await appliedRows(db) : []
  const applied = new Map(rows.map((row) => [row.version, row]))
  const result: MigrationStatus[] = definitions.map(({ version, name }) => {
    const row = applied.get(version)
    return row === undefined
      ? { version, name, applied: false, hasFile: true }
      : { version, name, applied: true, appliedAt: new Date(row.applied_at), hasFile: true }
  })
  const known = new Set(definitions.map((d) => d.version))
  for (const row of rows) {
    if (!known.has(row.version)) result.push({ version: row.version, name: row.name, applied: true, appliedAt: new Date(row.applied_at), hasFile: false })
  }
  return result.sort((a, b) => a.version.localeCompare(b.version))
}

export async function pendingMigrations (database: MigratorDatabase, options: MigratorOptions = {}): Promise<MigrationRecord[]> {
  return (await migrationStatus(database, options)).filter((m) => !m.applied).map(({ version, name }) => ({ version, name }))
}

/** Runs one migration's statements and its bookkeeping change, atomically where the dialect allows. */
async function runMigration (db: Kysely<any>, dialect: Dialect, migration: MigrationDefinition, direction: 'up' | 'down'): Promise<void> {
  const statements = (direction === 'up' ? migration.upStatements : migration.downStatements) ?? []
  const body = async (conn: Kysely<any>): Promise<void> => {
    for (const [index, statement] of statements.entries()) {
      try {
        await sql.raw(statement).execute(conn)
      } catch (error) {
        const record = { version: migration.version, name: migration.name }
        throw new MigrationError(`migration ${migration.version}_${migration.name} (${direction}) failed at statement ${index + 1}: ${(error as Error).message}`, record, error)
      }
    }
    if (direction === 'up') {
      await conn.insertInto(MIGRATION_TABLE).values({ version: migration.version, name: migration.name, applied_at: new Date() }).execute()
    } else {
      await conn.deleteFrom(MIGRATION_TABLE).where('version', '=', migration.version).execute()
    }
  }
  if (dialect === 'postgres') return await db.transaction().execute(body)
  if (dialect === 'mysql') return await body(db)
  await sql`savepoint warden_migration`.execute(db)
  try {
    await body(db)
    await sql`release savepoint warden_migration`.execute(db)
  } catch (error) {
    await sql`rollback to savepoint warden_migration`.execute(db)
    await sql`release savepoint warden_migration`.execute(db)
    throw error
  }
}

/**
 * Runs `step` for each migration under the lock. A failure stops the run but keeps what succeeded before it
 * (the lock's SQLite transaction still commits), then is rethrown.
 */
async function runLocked (
  database: MigratorDatabase,
  options: MigratorOptions,
  plan: (db: Kysely<any>, applied: AppliedRow[]) => MigrationDefinition[],
  direction: 'up' | 'down'
): Promise<MigrationRecord[]> {
  const outcome = await withExclusiveLock(database, 'migrations', async (db) => {
    await sql.raw(TABLE_DDL[database.dialect]).execute(db)
    const done: MigrationRecord[] = []
    try {
      for (const migration of plan(db, await appliedRows(db))) {
        await runMigration(db, database.dialect, migration, direction)
        done.push({ version: migration.version, name: migration.name })
        options.logger?.info({ version: migration.version, name: migration.name, direction }, `migration ${direction === 'up' ? 'applied' : 'rolled back'}`)
      }
      return { done, failure: undefined }
    } catch (failure) {
      return { done, failure: failure as unknown }
    }
  }, options.lockTimeoutSeconds === undefined ? {} : { timeoutSeconds: options.lockTimeoutSeconds })
  if (outcome.failure !== undefined) throw outcome.failure
  return outcome.done
}

/** Applies every pending migration in version order; returns what this call applied (empty when none). */
export async function migrateUp (database: MigratorDatabase, options: MigratorOptions = {}): Promise<MigrationRecord[]> {
  const definitions = load(database, options)
  return await runLocked(database, options, (_db, applied) => {
    const done = new Set(applied.map((row) => row.version))
    return definitions.filter((d) => !done.has(d.version))
  }, 'up')
}

/** Rolls back the `steps` most recently versioned applied migrations; returns them, newest first. */
export async function migrateDown (database: MigratorDatabase, steps = 1, options: MigratorOptions = {}): Promise<MigrationRecord[]> {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive whole number, got ${steps}`)
  const byVersion = new Map(load(database, options).map((d) => [d.version, d]))
  return await runLocked(database, options, (_db, applied) => {
    const targets = applied.map((row) => row.version).sort().reverse().slice(0, steps)
    return targets.map((version) => {
      const definition = byVersion.get(version)
      if (definition === undefined) throw new Error(`cannot roll back migration ${version}: it is applied but no file for it exists here`)
      if (definition.downStatements === undefined) throw new Error(`cannot roll back migration ${version}_${definition.name}: it has no down file`)
      return definition
    })
  }, 'down')
}
