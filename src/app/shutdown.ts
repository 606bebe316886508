// SIGTERM/SIGINT handling: the first signal closes gracefully (once), a second one exits at once.
import type { Logger } from 'pino'

export interface ShutdownOptions {
  logger: Logger
  signals?: readonly NodeJS.Signals[]
  /** Injected in tests; process.exit otherwise. */
  exit?: (code: number) => void
  /** Injected in tests; the process otherwise. */
  emitter?: Pick<NodeJS.Process, 'on' | 'off'>
}

/** Installs the handlers; returns a function that removes them again. */
export function installShutdownHandlers (close: () => Promise<void>, options: ShutdownOptions): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT']
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const emitter = options.emitter ?? process
  let isShuttingDown = false

  const onSignal = (signal: NodeJS.Signals): void => {
    if (isShuttingDown) {
      options.logger.warn({ signal }, 'second signal received: exiting without waiting for in-flight requests')
      exit(1)
      return
    }
    isShuttingDown = true
    options.logger.info({ signal }, 'shutting down gracefully; send the signal again to exit at once')
    close().then(
      () => { options.logger.info('shutdown complete'); exit(0) },
      (error: unknown) => { options.logger.error({ err: error }, 'shutdown failed'); exit(1) }
    )
  }

  for (const signal of signals) emitter.on(signal, onSignal)
  return () => { for (const signal of signals) emitter.off(signal, onSignal) }
}
