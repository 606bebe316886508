// A cross-process exclusive lock per database, for work that must run once at a time (migrations, network row).
import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'

export interface ExclusiveLockOptions {
  /** MySQL: how long GET_LOCK waits; SQLite: how long to keep retrying a busy write lock. PostgreSQL waits indefinitely. Default 600. */
  timeoutSeconds?: number
}

/** Signed 64-bit key for pg_advisory_lock derived from the lock name (as a decimal string). */
function advisoryKey (name: string): string {
  return createHash('sha256').update(`warden:${name}`).digest().readBigInt64BE(0).toString()
}

/** BEGIN IMMEDIATE waits busy_timeout for the write lock; keep trying (a long migration elsewhere) until the deadline. */
async function sqliteImmediate<T> (db: Kysely<any>, work: (connection: Kysely<any>) => Promise<T>, timeoutSeconds: number): Promise<T> {
  const deadline = Date.now() + timeoutSeconds * 1000
  for (;;) {
    try {
      return await db.transaction().execute(async (trx) => await work(trx))
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error
    }
  }
}

/**
 * Runs `work` while holding a lock no other process can hold for the same database and name.
 *
 *   - PostgreSQL: pg_advisory_lock on one dedicated connection, unlocked in finally (a dropped connection
 *     releases it too). `work` gets that connection and may open transactions on it.
 *   - MySQL/MariaDB: GET_LOCK on one dedicated connection (locks belong to the session, so the release must
 *     use the same connection); the name includes DATABASE() because MySQL locks are server-wide.
 *   - SQLite: one BEGIN IMMEDIATE transaction, which is the database's only write lock; `work` runs inside
 *     it and must use savepoints rather than transactions. `work` may be re-run if the lock was busy.
 */
export async function withExclusiveLock<T> (
  database: Pick<Database, 'db' | 'dialect'>,
  name: string,
  work: (connection: Kysely<any>) => Promise<T>,
  options: ExclusiveLockOptions = {}
): Promise<T> {
  const db = database.db as Kysely<any>
  if (database.dialect === 'sqlite') return await sqliteImmediate(db, work, options.timeoutSeconds ?? 600)
  return await db.connection().execute(async (connection) => {
    if (database.dialect === 'postgres') {
      const key = advisoryKey(name)
      await sql`select pg_advisory_lock(${key}::bigint)`.execute(connection)
      try {
        return await work(connection)
      } finally {
        await sql`select pg_advisory_unlock(${key}::bigint)`.execute(connection)
      }
    }
    const lockName = sql`left(concat('warden:', ${name}, ':', coalesce(database(), '')), 64)`
    const timeout = options.timeoutSeconds ?? 600
    const result = await sql<{ acquired: number | null }>`select get_lock(${lockName}, ${timeout}) as acquired`.execute(connection)
    if (Number(result.rows[0]?.acquired) !== 1) {
      throw new Error(`could not take the "${name}" lock within ${timeout}s: another process holds it`)
    }
    try {
      return await work(connection)
    } finally {
      await sql`select release_lock(${lockName})`.execute(connection)
    }
  })
}
