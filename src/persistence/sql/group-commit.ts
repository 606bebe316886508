// Group commit: single-row INSERTs that arrive in the same turn of the event loop go to the database as one
// multi-row INSERT per table, which commits on its own (autocommit).
//
// Why: on SQLite in WAL mode every commit appends each page it touched (table and index leaves) to the log, so one
// token per commit pays for five or six page writes; rows arriving together touch mostly the same pages. On PostgreSQL
// and MySQL each statement is a network round trip and a commit (docs/performance.md, "Group commit").
//
// Durability: a caller's promise settles only after the statement holding its row has committed, so a response
// built on it is never sent for a row that is not in the database. If the process dies before that, nobody was
// answered; if the statement fails, its callers get the error and none of its rows is stored (one statement is atomic).
//
// Isolation between callers: when the statement fails on a constraint (a client deleted meanwhile, a duplicate key),
// its rows are inserted again one by one, so only the offending caller fails. Any other error (disk full, I/O, a lost
// connection) fails every caller of that statement.
import type { Kysely } from 'kysely'
import { isConstraintViolation } from './driver-errors.js'

/** SQLite allows 32,766 bound values per statement and PostgreSQL 65,535; token rows have under 20 columns. */
const MAX_ROWS_PER_STATEMENT = 100

interface PendingRow {
  table: string
  row: Record<string, unknown>
  resolve: () => void
  reject: (error: unknown) => void
}

export class GroupCommit {
  // Kysely<any>: tables are named at run time; callers keep their own typed row shapes.
  readonly #db: Kysely<any>
  #queue: PendingRow[] = []
  #isFlushScheduled = false

  constructor (db: Kysely<any>) {
    this.#db = db
  }

  /** Inserts `row` into `table`; resolves once the statement holding it has committed. */
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
    await Promise.all(chunksByTable(batch).map(async ({ table, chunk }) => { await this.#insertChunk(table, chunk) }))
  }

  async #insertChunk (table: string, chunk: readonly PendingRow[]): Promise<void> {
    try {
      await this.#db.insertInto(table).values(chunk.map((pending) => pending.row)).execute()
    } catch (error) {
      if (!isConstraintViolation(error) || chunk.length === 1) {
        for (const pending of chunk) pending.reject(error)
        return
      }
      await Promise.all(chunk.map(async (pending) => { await this.#insertChunk(table, [pending]) }))
      return
    }
    for (const pending of chunk) pending.resolve()
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
