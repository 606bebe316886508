// The database a maintenance command (migrate, janitor) works on: the DSN argument, `-e` (env DSN) or `-c` files.
import { loadConfig } from '../config/load.js'
import { CliError } from './cli-error.js'

export interface DsnSourceOptions {
  readFromEnv?: boolean
  config?: string[]
}

export function resolveDsnArgument (argument: string | undefined, options: DsnSourceOptions, env: Record<string, string | undefined>): string {
  if (argument !== undefined && argument !== '') return argument
  if (options.readFromEnv === true) {
    const fromEnv = env.DSN
    if (fromEnv === undefined || fromEnv === '') throw new CliError('-e/--read-from-env is set but the environment variable DSN is empty')
    return fromEnv
  }
  if (options.config !== undefined && options.config.length > 0) {
    const { config } = loadConfig({ files: options.config, flags: {}, env })
    if (config.dsn === undefined || config.dsn === '') throw new CliError('the configuration sets no dsn')
    return config.dsn
  }
  throw new CliError('no database given: pass the DSN as an argument, or use -e/--read-from-env (reads DSN) or -c/--config')
}
