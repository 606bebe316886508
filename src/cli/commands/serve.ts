// `warden serve all|public|admin`: loads and checks the configuration, then runs the listeners until a signal.
import { mkdirSync } from 'node:fs'
import type { Command } from 'commander'
import { ConfigError, loadConfig } from '../../config/load.js'
import { checkServeConfig, type ServeMode } from '../../config/serve-checks.js'
import { createLogger } from '../../app/logger.js'
import { installShutdownHandlers } from '../../app/shutdown.js'
import { startWarden, type RunningWarden } from '../../app/warden.js'
import { CliError } from '../cli-error.js'
import { DEV_DATA_DIRECTORY, developmentSystemSecret } from '../dev-data.js'
import { DEV_DSN } from '../../config/schema.js'

interface ServeOptions {
  config?: string[]
  dev?: boolean
  dangerousForceHttp?: boolean
  sqaOptOut?: boolean
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

const DESCRIPTIONS: Record<ServeMode, string> = {
  all: 'serve the public (default :4444) and administrative (default :4445) APIs in one process',
  public: 'serve only the public API (default :4444)',
  admin: 'serve only the administrative API (default :4445)'
}

async function serve (mode: ServeMode, options: ServeOptions): Promise<void> {
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
  const { config, warnings } = checkServeConfig(loaded, { mode, devSystemSecret: developmentSystemSecret })
  if (config.dsn === DEV_DSN) mkdirSync(DEV_DATA_DIRECTORY, { recursive: true })
  const logger = createLogger(config.log)
  for (const warning of warnings) logger.warn(warning)
  let running: RunningWarden
  try {
    running = await startWarden({ config, logger, which: mode, forceHttp: loaded.forceHttp, sources: loaded.sources })
  } catch (error) {
    if (error instanceof ConfigError) throw error
    // Start-up failures are the operator's to fix (a port in use, a pending migration, a missing secret):
    // one line names the cause; the stack is only useful at debug level.
    logger.debug({ err: error }, 'start-up failed')
    throw new CliError(`Warden could not start: ${(error as Error).message}`)
  }
  for (const listener of [running.servers.public, running.servers.admin]) {
    if (listener !== undefined) logger.info({ address: listener.address, mode: listener.mode }, `listening on ${listener.url}`)
  }
  installShutdownHandlers(running.close, { logger })
}

export function registerServeCommand (program: Command): void {
  const serveCommand = program.command('serve').description('run the Warden server (see `warden serve all --help`)')
  for (const mode of ['all', 'public', 'admin'] as const) {
    serveCommand.command(mode)
      .description(DESCRIPTIONS[mode])
      .option('-c, --config <file>', 'a YAML or JSON configuration file; repeatable, later files override earlier ones', collect)
      .option('--dev', 'development mode: plain HTTP, generated secrets, SQLite under ./data when dsn is unset, automatic migrations')
      .option('--dangerous-force-http', 'serve plain HTTP without TLS (only behind a trusted network or proxy)')
      .option('--sqa-opt-out', 'accepted for compatibility with Hydra; Warden sends no usage statistics')
      .action(async (options: ServeOptions) => { await serve(mode, options) })
  }
}
