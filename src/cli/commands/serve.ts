// `warden serve all|public|admin`: loads and checks the configuration, then runs the listeners until a signal.
// Only the command tree is built at start-up: serve() imports the configuration and the server when it runs.
import { mkdirSync } from 'node:fs'
import type { Command } from 'commander'
import type { Logger } from 'pino'
import type { ServeMode } from '../../config/serve-checks.js'
import type { RunningWarden } from '../../app/warden.js'
import type { prepareDatabaseOnce } from '../../app/cluster.js'
import { CliError } from '../cli-error.js'

interface ServeOptions {
  config?: string[]
  dev?: boolean
  dangerousForceHttp?: boolean
  sqaOptOut?: boolean
  /** `--ui` / `--no-ui`; undefined lets planBundledUi decide. */
  ui?: boolean
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

const DESCRIPTIONS: Record<ServeMode, string> = {
  all: 'serve the public (default :4444) and administrative (default :4445) APIs in one process',
  public: 'serve only the public API (default :4444)',
  admin: 'serve only the administrative API (default :4445)'
}

/**
 * Start-up failures are the operator's to fix (a port in use, a pending migration, a missing secret): one line
 * names the cause, configuration problems keep their one line per problem, and the stack goes to debug level only.
 */
async function startupFailure (error: unknown, logger: Logger): Promise<Error> {
  const { ConfigError } = await import('../../config/load.js')
  if (error instanceof ConfigError) return error
  logger.debug({ err: error }, 'start-up failed')
  return new CliError(`Warden could not start: ${(error as Error).message}`)
}

async function serve (mode: ServeMode, options: ServeOptions): Promise<void> {
  // The configuration first: a configuration error is reported without loading the server.
  const [{ loadConfig }, { checkServeConfig }, { DEV_DATA_DIRECTORY, developmentSystemSecret }, { DEV_DSN }] = await Promise.all([
    import('../../config/load.js'), import('../../config/serve-checks.js'), import('../dev-data.js'), import('../../config/schema.js')
  ])
  const loaded = loadConfig({
    files: options.config ?? [],
    // An absent flag must not override a config file's value, so only flags actually given are passed.
    flags: {
      ...(options.dev === true ? { dev: true } : {}),
      ...(options.dangerousForceHttp === true ? { dangerousForceHttp: true } : {}),
      ...(options.sqaOptOut === true ? { sqaOptOut: true } : {})
    },
    env: process.env
  })
  const checked = checkServeConfig(loaded, { mode, devSystemSecret: developmentSystemSecret })
  const [{ planBundledUi, startBundledUi }, { createLogger }, { installShutdownHandlers }, { startWarden }, cluster] = await Promise.all([
    import('../bundled-ui.js'), import('../../app/logger.js'), import('../../app/shutdown.js'), import('../../app/warden.js'), import('../../app/cluster.js')
  ])
  const { announceWorkerReady, isClusterWorker, workerCount, workerLogger, workerShutdownEmitter } = cluster
  const ui = planBundledUi(checked.config, mode, options.ui)
  const { config } = ui
  if (config.dsn === DEV_DSN) mkdirSync(DEV_DATA_DIRECTORY, { recursive: true })
  const logger = workerLogger(createLogger(config.log))
  // Cluster workers load the same configuration again; the primary has already shown its warnings.
  if (!isClusterWorker()) for (const warning of [...checked.warnings, ...ui.warnings]) logger.warn(warning)
  const workers = workerCount(config.serve.workers)
  if (workers > 1 && !isClusterWorker()) { await serveCluster(config, logger, workers); return }
  // The UI binds first, so a taken port stops the start before Warden's own listeners open.
  const loginUi = ui.isEnabled ? await startBundledUi(config, (error) => { logger.error({ err: error }, 'bundled login UI failed') }) : undefined
  let running: RunningWarden
  try {
    running = await startWarden({ config, logger, which: mode, forceHttp: loaded.forceHttp, sources: loaded.sources })
  } catch (error) {
    await loginUi?.close()
    throw await startupFailure(error, logger)
  }
  for (const listener of [running.servers.public, running.servers.admin]) {
    if (listener !== undefined) logger.info({ address: listener.address, mode: listener.mode }, `listening on ${listener.url}`)
  }
  if (loginUi !== undefined) {
    logger.info({ url: loginUi.url }, `bundled login UI listening on ${loginUi.url} (demo user foo@bar.com / foobar unless serve.ui.users_file is set; --no-ui turns it off)`)
  }
  const emitter = isClusterWorker() ? { emitter: workerShutdownEmitter() } : {}
  installShutdownHandlers(async () => { await loginUi?.close(); await running.close() }, { logger, ...emitter })
  announceWorkerReady()
}

/** serve.workers > 1: first-start work once here, then worker processes run `serve` themselves (src/app/cluster.ts). */
async function serveCluster (config: Parameters<typeof prepareDatabaseOnce>[0], logger: Parameters<typeof prepareDatabaseOnce>[1], workers: number): Promise<void> {
  const [{ prepareDatabaseOnce, runClusterPrimary }, { parseDurationMs }] = await Promise.all([import('../../app/cluster.js'), import('../../lib/duration.js')])
  try {
    await prepareDatabaseOnce(config, logger)
    await runClusterPrimary({ workers, logger, shutdownGraceMs: parseDurationMs(config.serve.shutdown_timeout) + 5000 })
  } catch (error) {
    throw await startupFailure(error, logger)
  }
}

export function registerServeCommand (program: Command): void {
  const serveCommand = program.command('serve').description('run the Warden server (see `warden serve all --help`)')
  for (const mode of ['all', 'public', 'admin'] as const) {
    serveCommand.command(mode)
      .description(DESCRIPTIONS[mode])
      .option('-c, --config <file>', 'a YAML or JSON configuration file; repeatable, later files override earlier ones', collect)
      .option('--dev', 'development mode: plain HTTP, generated secrets, SQLite under ./data when dsn is unset, automatic migrations')
      .option('--dangerous-force-http', 'serve plain HTTP without TLS (only behind a trusted network or proxy)')
      .option('--ui', 'also serve the bundled login/consent/logout UI on serve.ui.port (default 3000) and point urls.login/consent/logout at it')
      .option('--no-ui', 'do not serve the bundled UI (by default `serve all --dev` serves it when urls.login and urls.consent are not set)')
      .option('--sqa-opt-out', 'accepted for compatibility with Hydra; Warden sends no usage statistics')
      .action(async (options: ServeOptions) => { await serve(mode, options) })
  }
}
