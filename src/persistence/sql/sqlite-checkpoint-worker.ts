// Worker thread body of sqlite-checkpointer.ts: PASSIVE checkpoints on a timer, on a connection of its own.
import { workerData } from 'node:worker_threads'
import BetterSqlite3 from 'better-sqlite3'

const { filename, intervalMs } = workerData as { filename: string, intervalMs: number }
const connection = new BetterSqlite3(filename, { fileMustExist: true, timeout: 0 })
const checkpoint = (): void => {
  try {
    connection.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // Busy (another process checkpoints) or the file is going away: the next tick tries again.
  }
}
setInterval(checkpoint, intervalMs)
