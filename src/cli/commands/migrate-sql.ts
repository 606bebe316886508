// `warden migrate sql up|down|status [DSN]` (and the deprecated `migrate sql [DSN]`, `migrate status`), as Hydra's.
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Command } from 'commander'
import { CliError } from '../cli-error.js'
import { resolveDsn } from './resolve-dsn.js'
import type { SqlDatabase } from '../../persistence/sql/db.js'
import type { MigrationStatus, MigratorOptions } from '../../persistence/sql/migrator.js'

/** Where the command reads and writes; tests pass fakes. */
export interface MigrateCommandIo {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  env: Record<string, string | undefined>
  migrator?: MigratorOptions
  /** How often `status --block` re-checks (default 1 s). */
  pollIntervalMs?: number
}

interface DsnOptions { readFromEnv?: boolean, config?: string[] }
interface UpOptions extends DsnOptions { yes?: boolean }
interface DownOptions extends UpOptions { steps?: string }
interface StatusOptions extends DsnOptions { block?: boolean }

const processIo = (): MigrateCommandIo => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env })

// The database layer is imported when a command runs, not when the CLI starts.
const migrator = async (): Promise<typeof import('../../persistence/sql/migrator.js')> => await import('../../persistence/sql/migrator.js')

/** Opens and waits for the database, runs `work`, closes; any failure becomes a one-line CliError. */
async function withDatabase (dsn: string, io: MigrateCommandIo, work: (database: SqlDatabase) => Promise<void>): Promise<void> {
  let database: SqlDatabase | undefined
  try {
    const [{ openDatabase }, { parseDsn }] = await Promise.all([import('../../persistence/sql/db.js'), import('../../persistence/sql/dsn.js')])
    const parsed = parseDsn(dsn)
    database = openDatabase(parsed)
    await database.connect({
      resolveNetwork: false,
      onRetry: (error, _attempt, delayMs) => {
        io.stderr.write(`Could not reach the database at ${parsed.redacted} (${firstLine(error)}); retrying in ${(delayMs / 1000).toFixed(2)}s\n`)
      }
    })
    await work(database)
  } catch (error) {
    if (error instanceof CliError || error instanceof (await import('../../config/problems.js')).ConfigError) throw error
    throw new CliError(firstLine(error))
  } finally {
    await database?.close()
  }
}

function firstLine (error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}

function statusTable (migrations: readonly MigrationStatus[]): string {
  const rows = [['Version', 'Name', 'Status'], ...migrations.map((m) => [m.version, m.name, m.applied ? (m.hasFile ? 'Applied' : 'Applied (file missing)') : 'Pending'])]
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  return rows.map((row) => row.map((cell, column) => column < 2 ? cell.padEnd(widths[column] ?? 0) : cell).join('  ')).join('\n') + '\n'
}

async function confirm (io: MigrateCommandIo, question: string): Promise<boolean> {
  const reader = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: false })
  try {
    const answer = await new Promise<string>((resolve) => {
      reader.once('close', () => { resolve('') })
      reader.question(question, resolve)
    })
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    reader.close()
  }
}

async function runUp (dsn: string, options: UpOptions, io: MigrateCommandIo): Promise<void> {
  await withDatabase(dsn, io, async (database) => {
    const { migrateUp, migrationStatus } = await migrator()
    const pending = (await migrationStatus(database, io.migrator)).filter((m) => !m.applied)
    if (pending.length === 0) { io.stdout.write('All migrations are already applied.\n'); return }
    io.stdout.write(`Pending migrations:\n${statusTable(pending)}`)
    // Applying is what a deployment wants, so only an interactive terminal is asked; scripts proceed.
    if (options.yes !== true && io.stdin.isTTY === true && !await confirm(io, 'Apply the migrations listed above? [y/N] ')) {
      io.stdout.write('Migration aborted: nothing was applied.\n')
      return
    }
    const applied = await migrateUp(database, io.migrator)
    io.stdout.write(applied.length === 0
      ? 'Another process applied the pending migrations meanwhile.\n'
      : `Applied ${applied.length} migration(s): ${applied.map((m) => `${m.version}_${m.name}`).join(', ')}\nSuccessfully applied migrations!\n`)
  })
}

async function runDown (dsn: string, options: DownOptions, io: MigrateCommandIo): Promise<void> {
  const stepsText = options.steps ?? '1'
  if (!/^\d+$/.test(stepsText) || Number(stepsText) < 1) throw new CliError(`--steps must be a whole number of at least 1, got "${stepsText}"`)
  const steps = Number(stepsText)
  await withDatabase(dsn, io, async (database) => {
    const { migrateDown, migrationStatus } = await migrator()
    const targets = (await migrationStatus(database, io.migrator)).filter((m) => m.applied).reverse().slice(0, steps)
    if (targets.length === 0) { io.stdout.write('There are no applied migrations to roll back.\n'); return }
    io.stdout.write(`Migrations to roll back (newest first):\n${statusTable(targets)}`)
    if (options.yes !== true) {
      if (io.stdin.isTTY !== true) throw new CliError('refusing to roll back migrations without confirmation: stdin is not a terminal, pass --yes to confirm')
      if (!await confirm(io, `Roll back ${targets.length} migration(s)? This can destroy data. [y/N] `)) {
        io.stdout.write('Rollback aborted: nothing was changed.\n')
        return
      }
    }
    const rolledBack = await migrateDown(database, targets.length, io.migrator)
    io.stdout.write(`Rolled back ${rolledBack.length} migration(s): ${rolledBack.map((m) => `${m.version}_${m.name}`).join(', ')}\n`)
  })
}

async function runStatus (dsn: string, options: StatusOptions, io: MigrateCommandIo): Promise<void> {
  await withDatabase(dsn, io, async (database) => {
    const { migrationStatus } = await migrator()
    let status = await migrationStatus(database, io.migrator)
    while (options.block === true && status.some((m) => !m.applied)) {
      io.stderr.write(`Waiting for ${status.filter((m) => !m.applied).length} pending migration(s) to be applied...\n`)
      await sleep(io.pollIntervalMs ?? 1000)
      status = await migrationStatus(database, io.migrator)
    }
    io.stdout.write(statusTable(status))
  })
}

function collect (value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

function withDsnOptions (command: Command): Command {
  return command
    .option('-e, --read-from-env', 'read the database DSN from the environment variable DSN')
    .option('-c, --config <path>', 'read the DSN from this config file; repeatable (the DSN environment variable still overrides)', collect)
}

/** Options given before a subcommand name land on the parent; merge them (no defaults, so nothing masks). */
function merged<T> (command: Command): T {
  return command.optsWithGlobals() as T
}

export function registerMigrateCommand (program: Command, io: MigrateCommandIo = processIo()): void {
  const migrate = program.command('migrate').description('create and manage the database schema')
  const sqlCommand = withDsnOptions(migrate.command('sql').argument('[dsn]', 'database DSN, e.g. postgres://user:password@host:5432/db'))
    .description('apply pending migrations (deprecated form of `migrate sql up`)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (dsn: string | undefined, _options: UpOptions, command: Command) => {
      const options = merged<UpOptions>(command)
      await runUp(await resolveDsn(dsn, options, io.env), options, io)
    })
  withDsnOptions(sqlCommand.command('up').argument('[dsn]', 'database DSN'))
    .description('apply every pending SQL migration')
    .option('-y, --yes', 'do not ask for confirmation (only asked on a terminal)')
    .action(async (dsn: string | undefined, _options: UpOptions, command: Command) => {
      const options = merged<UpOptions>(command)
      await runUp(await resolveDsn(dsn, options, io.env), options, io)
    })
  withDsnOptions(sqlCommand.command('down').argument('[dsn]', 'database DSN'))
    .description('roll back the most recent SQL migrations')
    .option('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--steps <n>', 'how many migrations to roll back (default 1)')
    .action(async (dsn: string | undefined, _options: DownOptions, command: Command) => {
      const options = merged<DownOptions>(command)
      await runDown(await resolveDsn(dsn, options, io.env), options, io)
    })
  const statusAction = async (dsn: string | undefined, _options: StatusOptions, command: Command): Promise<void> => {
    const options = merged<StatusOptions>(command)
    await runStatus(await resolveDsn(dsn, options, io.env), options, io)
  }
  withDsnOptions(sqlCommand.command('status').argument('[dsn]', 'database DSN'))
    .description('show which SQL migrations are applied and which are pending')
    .option('--block', 'wait until no migration is pending')
    .action(statusAction)
  withDsnOptions(migrate.command('status').argument('[dsn]', 'database DSN'))
    .description('deprecated form of `migrate sql status`')
    .option('--block', 'wait until no migration is pending')
    .action(statusAction)
}
