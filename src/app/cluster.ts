// Multi-process serving (`serve.workers`): the primary prepares the database once, then forks workers sharing the listeners.
//
//   primary: prepare the database (automatic migrations, default key sets) ─► fork N workers ─► wait for "ready" from each
//            │ a worker exits before ready ─► stop the others, fail the start
//            │ a worker dies later ─► log it and fork a replacement
//            └ SIGTERM/SIGINT ─► "shutdown" message to every worker ─► each drains (serve.shutdown_timeout) and exits
//                                ─► primary exits 0 (1 if a worker failed); a second signal kills the workers at once
//   worker:  the ordinary serve path (startWarden); listen() goes through node:cluster's shared handle, so connections
//            are spread over the workers. Caches (keys, verified secrets) stay per worker.
import cluster, { type Worker } from 'node:cluster'
import { EventEmitter } from 'node:events'
import { availableParallelism } from 'node:os'
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import { Sealer } from '../keys/sealing.js'
import { openDatabase } from '../persistence/sql/db.js'
import { parseDsn } from '../persistence/sql/dsn.js'
import { createContainer } from './container.js'
import { DatabaseLifecycle } from './database-lifecycle.js'

interface WardenMessage { warden?: 'ready' | 'shutdown' }

/** Worker processes for `serve.workers` (a number, or 'auto' = one per CPU). */
export function workerCount (setting: number | 'auto'): number {
  return setting === 'auto' ? availableParallelism() : setting
}

export function isClusterWorker (): boolean {
  return cluster.isWorker
}

/** In a worker, every log line names the worker (`worker=2`), so operators can tell the processes apart. */
export function workerLogger (logger: Logger): Logger {
  return cluster.isWorker ? logger.child({ worker: cluster.worker?.id }) : logger
}

/** Tells the primary this worker is listening (no-op outside a cluster). */
export function announceWorkerReady (): void {
  if (cluster.isWorker) process.send?.({ warden: 'ready' } satisfies WardenMessage)
}

/**
 * A signal source for installShutdownHandlers in a worker: the process's own SIGTERM/SIGINT, plus the primary's
 * "shutdown" message. The message never counts as a second signal (Ctrl-C reaches the whole process group, so a
 * worker usually gets both), which would otherwise make it skip draining.
 */
export function workerShutdownEmitter (): Pick<NodeJS.Process, 'on' | 'off'> {
  const emitter = new EventEmitter()
  let hasStarted = false
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => { hasStarted = true; emitter.emit(signal, signal) })
  }
  process.on('message', (message: WardenMessage) => {
    if (message?.warden === 'shutdown' && !hasStarted) { hasStarted = true; emitter.emit('SIGTERM', 'SIGTERM') }
  })
  return emitter as unknown as Pick<NodeJS.Process, 'on' | 'off'>
}

/** First-start work done once before forking: the same database preparation a single process does at start. */
export async function prepareDatabaseOnce (config: Readonly<Config>, logger: Logger): Promise<void> {
  const dsn = parseDsn(config.dsn ?? '')
  if (dsn.dialect === 'sqlite' && dsn.isMemory) {
    throw new Error('serve.workers > 1 needs a shared database: with an in-memory DSN every worker would have its own')
  }
  const database = openDatabase(dsn, { logger })
  const container = createContainer({ config, logger, database, sealer: new Sealer(config.secrets.system) })
  const lifecycle = new DatabaseLifecycle({ database, logger, isMigratingAutomatically: config.dev, onPrepared: container.onDatabasePrepared })
  try {
    await lifecycle.start()
    await lifecycle.whenPrepared()
  } finally {
    lifecycle.stop()
    await database.close()
  }
}

export interface ClusterPrimaryOptions {
  workers: number
  logger: Logger
  /** How long workers get to drain after the shutdown message before they are killed. */
  shutdownGraceMs: number
  /** Injected in tests; process.exit otherwise. */
  exit?: (code: number) => void
}

/** Forks the workers and resolves once all are listening; rejects (after stopping the others) if one fails to start. */
export async function runClusterPrimary (options: ClusterPrimaryOptions): Promise<void> {
  const { logger } = options
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const live = new Set<Worker>()
  const ready = new WeakSet<Worker>()
  let isShuttingDown = false
  // A failed start is reported by the caller (the CLI prints it); the workers' exits must not call exit() first.
  let isAbandoned = false
  let exitCode = 0

  const fork = (): Promise<void> => new Promise((resolve, reject) => {
    const worker = cluster.fork()
    live.add(worker)
    let isReady = false
    worker.on('message', (message: WardenMessage) => {
      if (message?.warden === 'ready' && !isReady) { isReady = true; ready.add(worker); resolve() }
    })
    worker.on('exit', (code, signal) => {
      live.delete(worker)
      if (isAbandoned) return
      if (isShuttingDown) {
        // A worker stopped before it was ready (a signal during start-up) ends its start, not the primary's.
        if (!isReady) resolve()
        else if (code !== 0) exitCode = 1
        if (live.size === 0) { logger.info('all workers stopped'); exit(exitCode) }
        return
      }
      if (!isReady) { reject(new Error(`worker ${worker.process.pid ?? '?'} exited during start-up (${signal ?? `code ${code}`})`)); return }
      logger.error({ pid: worker.process.pid, code, signal }, 'worker died; starting a replacement')
      setTimeout(() => { if (!isShuttingDown) fork().catch((error: unknown) => { logger.error({ err: error }, 'replacement worker failed to start') }) }, 1000).unref()
    })
  })

  const onSignal = (signal: NodeJS.Signals): void => {
    if (isShuttingDown) {
      logger.warn({ signal }, 'second signal received: killing the workers')
      for (const worker of live) worker.process.kill('SIGKILL')
      exit(1)
      return
    }
    isShuttingDown = true
    logger.info({ signal, workers: live.size }, 'shutting down the workers gracefully; send the signal again to kill them')
    if (live.size === 0) { exit(0); return }
    // Ready workers drain on the message; one still starting has no handlers yet, so a signal ends it.
    for (const worker of live) {
      if (ready.has(worker)) worker.send({ warden: 'shutdown' } satisfies WardenMessage)
      else worker.process.kill('SIGTERM')
    }
    setTimeout(() => {
      logger.error('workers did not stop in time; killing them')
      for (const worker of live) worker.process.kill('SIGKILL')
    }, options.shutdownGraceMs).unref()
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)

  try {
    await Promise.all(Array.from({ length: options.workers }, fork))
  } catch (error) {
    isShuttingDown = true
    isAbandoned = true
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
    for (const worker of live) worker.process.kill('SIGTERM')
    throw error
  }
  if (!isShuttingDown) logger.info({ workers: options.workers }, `${options.workers} worker processes listening`)
}
