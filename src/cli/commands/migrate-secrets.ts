// `warden migrate secrets [dsn]`: re-seals stored JSON Web Keys under the first secrets.system value, so older
// secrets can then be dropped from the list (rotation: prepend the new secret, deploy, run this, remove the old one).
import type { Command } from 'commander'
import { CliError } from '../cli-error.js'
import type { SqlDatabase } from '../../persistence/sql/db.js'

export interface MigrateSecretsIo {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  env: Record<string, string | undefined>
}

interface MigrateSecretsOptions { config?: string[] }

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value]

async function run (dsnArgument: string | undefined, options: MigrateSecretsOptions, io: MigrateSecretsIo): Promise<void> {
  // Imported when the command runs, not when the CLI starts.
  const [{ ConfigError, loadConfig }, { systemClock }, { buildKeysService }, { openDatabase }, { SqlKeysStore }] = await Promise.all([
    import('../../config/load.js'), import('../../lib/clock.js'), import('../../keys/keys.wiring.js'),
    import('../../persistence/sql/db.js'), import('../../persistence/sql/keys.sql.js')
  ])
  const { config } = loadConfig({ files: options.config ?? [], flags: {}, env: io.env })
  const dsn = dsnArgument ?? config.dsn
  if (dsn === undefined || dsn === '') throw new CliError('no database given: pass the DSN as an argument, or set DSN (environment) or dsn (config file)')
  if (config.secrets.system.length === 0) throw new CliError('secrets.system is empty: set SECRETS_SYSTEM=new,old (the first one seals, the others still open)')
  let database: SqlDatabase | undefined
  try {
    database = openDatabase(dsn)
    await database.connect({ giveUpAfterMs: 30_000 })
    const keys = buildKeysService(config, { store: new SqlKeysStore(database), clock: systemClock })
    const { total, resealed } = await keys.resealKeys()
    io.stdout.write(`Re-encrypted ${resealed} of ${total} JSON Web Key(s) with the first secret of secrets.system` +
      `${total - resealed > 0 ? ` (${total - resealed} already were)` : ''}.\n`)
    if (config.secrets.system.length > 1) io.stdout.write('The other secrets are no longer needed for JSON Web Keys; keep them while tokens or cookies sealed with them are still valid.\n')
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigError) throw error
    throw new CliError((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '')
  } finally {
    await database?.close()
  }
}

/** Adds `secrets` under the `migrate` command (created when registerMigrateCommand has not run yet). */
export function registerMigrateSecretsCommand (program: Command, io: MigrateSecretsIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): void {
  const migrate = program.commands.find((command) => command.name() === 'migrate') ?? program.command('migrate').description('create and manage the database schema')
  migrate.command('secrets').argument('[dsn]', 'database DSN (default: DSN / dsn from the configuration)')
    .description('re-encrypt stored JSON Web Keys with the first of secrets.system (SECRETS_SYSTEM=new,old), so old secrets can be retired')
    .option('-c, --config <path>', 'config file with dsn and secrets.system; repeatable', collect)
    .action(async (dsn: string | undefined, options: MigrateSecretsOptions) => { await run(dsn, options, io) })
}
