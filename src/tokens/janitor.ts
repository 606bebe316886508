// Deletes expired token rows in bounded batches (hydra-api.md §4.19): `warden janitor --tokens` and POST /admin/oauth2/flush.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { TokensStore } from './tokens.store.js'

export interface FlushOptions {
  /** Rows that expired before this instant go. */
  expiredBefore: Date
  /** At most this many rows per table (default 10 000). */
  limit?: number
  /** Rows per delete statement (default 100). */
  batchSize?: number
}

export interface FlushResult {
  access: number
  refresh: number
  code: number
}

const TABLES = ['access', 'refresh', 'code'] as const

/**
 * Each batch is one short SELECT by the expires_at index plus one DELETE by primary key, so no statement locks
 * a whole table, and the event loop gets a turn between batches, so the server keeps serving.
 */
export async function flushExpiredTokens (store: Pick<TokensStore, 'deleteExpiredBatch'>, options: FlushOptions): Promise<FlushResult> {
  const limit = options.limit ?? 10_000
  const batchSize = Math.min(options.batchSize ?? 100, limit)
  if (!(limit > 0) || !(batchSize > 0)) throw new Error('limit and batch size must be positive')
  const result: FlushResult = { access: 0, refresh: 0, code: 0 }
  for (const table of TABLES) {
    while (result[table] < limit) {
      const deleted = await store.deleteExpiredBatch(table, options.expiredBefore, Math.min(batchSize, limit - result[table]))
      result[table] += deleted
      if (deleted === 0) break
      // better-sqlite3 answers synchronously: without this pause a long flush would starve every request.
      await yieldToEventLoop()
    }
  }
  return result
}
