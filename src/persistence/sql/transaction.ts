// One helper for every multi-row write: a transaction retried on serialization failures and deadlocks.
import { setTimeout as sleep } from 'node:timers/promises'
import type { IsolationLevel, Kysely, Transaction } from 'kysely'
import type { Dialect } from './database.js'

export interface TransactionOptions {
  /** Defaults to the database's own (PostgreSQL: read committed; MySQL: repeatable read; SQLite: serializable). */
  isolationLevel?: IsolationLevel
  /** Attempts in total, including the first (default 5). Only retryable failures are retried. */
  maxAttempts?: number
}

/** PostgreSQL serialization_failure / deadlock_detected; MySQL ER_LOCK_DEADLOCK (SQLSTATE 40001 too). */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01'])
const RETRYABLE_MYSQL_ERRNOS = new Set([1213])

export function isRetryableTransactionError (error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, errno, sqlState } = error as { code?: unknown, errno?: unknown, sqlState?: unknown }
  if (typeof code === 'string' && RETRYABLE_SQLSTATES.has(code)) return true
  if (typeof sqlState === 'string' && RETRYABLE_SQLSTATES.has(sqlState)) return true
  return typeof errno === 'number' && RETRYABLE_MYSQL_ERRNOS.has(errno)
}

/**
 * Runs `work` in one transaction and commits it, or rolls back and rethrows. On PostgreSQL and MySQL a
 * serialization failure or deadlock re-runs `work` from the start (a few times, with a short random pause),
 * so `work` must only touch the database through `trx` and must be safe to run again.
 *
 * Inside `work` use only `trx`: never `database.db` and never another `transaction()`; on SQLite there is a
 * single connection, so that would wait for itself forever. On SQLite the transaction is BEGIN IMMEDIATE.
 *
 * Stores with their own table types either pass `{ db: this.db, dialect }` or call `trx.withTables<T>()`.
 */
export async function transaction<DB, T> (
  database: { readonly db: Kysely<DB>, readonly dialect: Dialect },
  work: (trx: Transaction<DB>) => Promise<T>,
  options: TransactionOptions = {}
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5)
  for (let attempt = 1; ; attempt++) {
    try {
      let builder = database.db.transaction()
      if (options.isolationLevel !== undefined && database.dialect !== 'sqlite') builder = builder.setIsolationLevel(options.isolationLevel)
      return await builder.execute(work)
    } catch (error) {
      if (database.dialect === 'sqlite' || attempt >= maxAttempts || !isRetryableTransactionError(error)) throw error
      // Jittered backoff so two colliding transactions do not collide again in lockstep.
      await sleep(Math.random() * 10 * 2 ** attempt)
    }
  }
}
