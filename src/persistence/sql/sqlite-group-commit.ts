// Group commit on SQLite: single-row INSERTs that arrive in the same turn of the event loop share one transaction.
//
// Why: in WAL mode every commit appends each page it touched (table and index leaves) to the log, so one token per
// transaction pays for five or six page writes. Rows arriving together touch mostly the same pages, so sharing the
// commit makes the per-row cost a B-tree insert (docs/performance.md, "Group commit").
//
// Durability: a caller's promise settles only after COMMIT has returned, so a response built on it is never sent
// for a row that is not in the database. If the process dies before COMMIT, nobody was answered; if COMMIT fails,
// every caller of that batch gets the error.
//
// Isolation between callers: a constraint violation (a client deleted meanwhile, a duplicate key) rolls back only
// its own statement in SQLite, so the batch retries that chunk row by row and fails just the offending caller.
// Any other error (disk full, I/O) rolls the whole batch back and every caller gets it.
import type { Kysely } from 'kysely'

/** SQLite allows 32,766 bound values per statement; token rows have under 20 columns. */
const MAX_ROWS_PER_STATEMENT = 100

interface PendingRow {
  table: string
  row: Record<string, unknown>
  resolve: () => void
  reject: (error: unknown) => void
}

export function isSqliteConstraintViolation (error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')
}

export class SqliteGroupCommit {
  // Kysely<any>: tables are named at run time; callers keep their own typed row shapes.
  readonly #db: Kysely<any>
  #queue: PendingRow[] = []
  #isFlushScheduled = false

  constructor (db: Kysely<any>) {
    this.#db = db
  }

  /** Inserts `row` into `table`; resolves once the transaction holding it has committed. */
  async insert (table: string, row: Record<string, unknown>): Promise<void> {
    return await new Promise<void>((resolve, reject) => {
      this.#queue.push({ table, row, resolve, reject })
      if (!this.#isFlushScheduled) {
        this.#isFlushScheduled = true
        // setImmediate runs after the poll phase, so every request parsed in this turn joins the batch, and a
        // lone request waits for nothing but the current turn.
        setImmediate(() => { void this.#flush() })
      }
    })
  }

  async #flush (): Promise<void> {
    const batch = this.#queue
    this.#queue = []
    this.#isFlushScheduled = false
    const rejected = new Map<PendingRow, unknown>()
    try {
      await this.#db.transaction().execute(async (trx) => {
        for (const { table, chunk } of chunksByTable(batch)) {
          try {
            await trx.insertInto(table).values(chunk.map((pending) => pending.row)).execute()
          } catch (error) {
            if (!isSqliteConstraintViolation(error)) throw error
            for (const pending of chunk) {
              try {
                await trx.insertInto(table).values(pending.row).execute()
              } catch (rowError) {
                if (!isSqliteConstraintViolation(rowError)) throw rowError
                rejected.set(pending, rowError)
              }
            }
          }
        }
      })
    } catch (error) {
      for (const pending of batch) pending.reject(error)
      return
    }
    for (const pending of batch) {
      if (rejected.has(pending)) pending.reject(rejected.get(pending))
      else pending.resolve()
    }
  }
}

function chunksByTable (batch: readonly PendingRow[]): Array<{ table: string, chunk: PendingRow[] }> {
  const byTable = new Map<string, PendingRow[]>()
  for (const pending of batch) {
    const rows = byTable.get(pending.table)
    if (rows === undefined) byTable.set(pending.table, [pending])
    else rows.push(pending)
  }
  const chunks: Array<{ table: string, chunk: PendingRow[] }> = []
  for (const [table, rows] of byTable) {
    for (let start = 0; start < rows.length; start += MAX_ROWS_PER_STATEMENT) chunks.push({ table, chunk: rows.slice(start, start + MAX_ROWS_PER_STATEMENT) })
  }
  return chunks
}
