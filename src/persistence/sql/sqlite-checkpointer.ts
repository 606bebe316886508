// Moves SQLite's WAL checkpoints off the event loop: a worker thread with its own connection copies the log back
// into the database file every CHECKPOINT_INTERVAL_MS.
//
// Why: by default the connection whose commit takes the log past 1000 pages copies them back itself, with an fsync,
// inside that commit; every request waiting on that batch sees a 10 ms+ stall (docs/performance.md). A PASSIVE
// checkpoint in another thread never blocks writers or readers. The main connection keeps SQLite's automatic
// checkpoint as a safety net: when the worker has kept up, it finds nothing left to copy, and its cheap pass is what
// lets the log start over from the beginning.
import { Worker } from 'node:worker_threads'

export const CHECKPOINT_INTERVAL_MS = 200

export interface Checkpointer {
  stop(): Promise<void>
}

/** Starts the worker for a database file; it never keeps the process alive. */
export function startBackgroundCheckpoints (filename: string, intervalMs: number = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const worker = new Worker(new URL('./sqlite-checkpoint-worker.js', import.meta.url), { workerData: { filename, intervalMs } })
  worker.unref()
  // A failing checkpointer must not take the server down: the automatic checkpoint still bounds the log.
  worker.on('error', () => {})
  let stopping: Promise<void> | undefined
  return {
    stop: async () => {
      stopping ??= worker.terminate().then(() => {}, () => {})
      await stopping
    }
  }
}
