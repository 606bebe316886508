// `warden migrate sql up|down|status` end to end on a SQLite file, with fake stdin/stdout.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { PassThrough } from 'node:stream'
import { Command } from 'commander'
import { CliError } from '../../src/cli/cli-error.js'
import { registerMigrateCommand, type MigrateCommandIo } from '../../src/cli/commands/migrate-sql.js'
import { openDatabase } from '../../src/persistence/sql/db.js'
import { migrateUp, migrationStatus } from '../../src/persistence/sql/migrator.js'
import { testDialects } from '../support/databases.js'

const sqlite = testDialects().find((entry) => entry.dialect === 'sqlite')!

interface Run { stdout: string, stderr: string }

/** Runs `warden <args>`; `answer` is typed on a terminal stdin, or stdin is not a terminal when absent. */
async function warden (args: string[], options: { answer?: string, env?: Record<string, string> } = {}): Promise<Run> {
  const out: Run = { stdout: '', stderr: '' }
  const stdin = Object.assign(new PassThrough(), { isTTY: options.answer !== undefined })
  if (options.answer !== undefined) stdin.end(`${options.answer}\n`)
  else stdin.end()
  const io: MigrateCommandIo = {
    stdout: { write: (text: string) => { out.stdout += text } },
    stderr: { write: (text: string) => { out.stderr += text } },
    stdin,
    env: options.env ?? {},
    pollIntervalMs: 5
  }
  const program = new Command('warden').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} })
  registerMigrateCommand(program, io)
  await program.parseAsync(args, { from: 'user' })
  return out
}

async function appliedCount (dsn: string): Promise<number> {
  const database = openDatabase(dsn)
  try {
    return (await migrationStatus(database)).filter((m) => m.applied).length
  } finally {
    await database.close()
  }
}

describe('warden migrate sql', () => {
  after(() => sqlite.dropFreshDatabases())

  test('status, the deprecated `migrate sql` alias with -e, and a repeated up', async () => {
    const dsn = await sqlite.createFreshDsn()
    const before = await warden(['migrate', 'sql', 'status', dsn])
    assert.match(before.stdout, /^Version\s+Name\s+Status\n/)
    assert.match(before.stdout, /20261129000001\s+core\s+Pending/)

    const up = await warden(['migrate', 'sql', '-e', '--yes'], { env: { DSN: dsn } })
    assert.match(up.stdout, /Successfully applied migrations!/)
    assert.match((await warden(['migrate', 'sql', 'up', dsn])).stdout, /All migrations are already applied/)
    assert.match((await warden(['migrate', 'status', dsn])).stdout, /20261129000001\s+core\s+Applied/)
  })

  test('up on a terminal asks first; up without a terminal proceeds', async () => {
    const dsn = await sqlite.createFreshDsn()
    assert.match((await warden(['migrate', 'sql', 'up', dsn], { answer: 'n' })).stdout, /Migration aborted/)
    assert.equal(await appliedCount(dsn), 0)
    assert.match((await warden(['migrate', 'sql', 'up', dsn])).stdout, /Successfully applied migrations!/)
    assert.ok(await appliedCount(dsn) > 0)
  })

  test('down: refuses without a terminal or --yes, asks on a terminal, honours --steps', async () => {
    const dsn = await sqlite.createFreshDsn()
    await warden(['migrate', 'sql', 'up', '--yes', dsn])
    const total = await appliedCount(dsn)
    await assert.rejects(warden(['migrate', 'sql', 'down', dsn]), (error: unknown) => {
      assert.ok(error instanceof CliError)
      assert.match(error.message, /stdin is not a terminal, pass --yes/)
      return true
    })
    assert.match((await warden(['migrate', 'sql', 'down', dsn], { answer: 'n' })).stdout, /Rollback aborted/)
    assert.equal(await appliedCount(dsn), total)
    assert.match((await warden(['migrate', 'sql', 'down', dsn], { answer: 'y' })).stdout, /Rolled back 1 migration/)
    assert.equal(await appliedCount(dsn), total - 1)
    await warden(['migrate', 'sql', 'down', '--steps', String(total + 5), '-y', dsn])
    assert.equal(await appliedCount(dsn), 0)
    assert.match((await warden(['migrate', 'sql', 'down', '-y', dsn])).stdout, /no applied migrations/)
  })

  test('status --block waits until another process has applied everything', async () => {
    const dsn = await sqlite.createFreshDsn()
    const blocked = warden(['migrate', 'sql', 'status', '--block', dsn])
    const database = openDatabase(dsn)
    try {
      await migrateUp(database)
    } finally {
      await database.close()
    }
    const result = await blocked
    assert.doesNotMatch(result.stdout, /Pending/)
    assert.match(result.stdout, /Applied/)
  })

  test('-c reads the DSN from a config file', async () => {
    const dsn = await sqlite.createFreshDsn()
    const file = `${dsn.replace(/^sqlite:\/\//, '').replace(/\?.*$/, '')}.yaml`
    writeFileSync(file, `dsn: ${dsn}\n`)
    assert.match((await warden(['migrate', 'sql', 'status', '-c', file])).stdout, /core\s+Pending/)
  })

  test('failures are one-line CliErrors without the password', async () => {
    const failures: Array<[string[], RegExp, Record<string, string>?]> = [
      [['migrate', 'sql', 'up'], /no database given/],
      [['migrate', 'sql', 'up', '-e'], /DSN is empty/, {}],
      [['migrate', 'sql', 'status', 'postgres://admin:hunter2@db:port/x'], /port "port"/],
      [['migrate', 'sql', 'down', '--steps', '0', 'memory'], /--steps must be a whole number/],
      [['migrate', 'sql', 'up', 'sqlite:///no/such/folder/db.sqlite'], /cannot open the SQLite database/]
    ]
    for (const [args, message, env] of failures) {
      await assert.rejects(warden(args, env === undefined ? {} : { env }), (error: unknown) => {
        assert.ok(error instanceof CliError, `${args.join(' ')}: ${String(error)}`)
        assert.match(error.message, message)
        assert.ok(!error.message.includes('\n') && !error.message.includes('hunter2'), error.message)
        return true
      })
    }
  })
})
