// Four processes started together migrate one fresh database: all succeed and each migration runs exactly once.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { testDialects } from '../support/databases.js'
import { openDatabase } from '../../src/persistence/sql/db.js'
import { migrationStatus } from '../../src/persistence/sql/migrator.js'
import { defaultMigrationsDirectory } from '../../src/persistence/sql/migration-files.js'

const run = promisify(execFile)
const CHILD = fileURLToPath(new URL('./migrate-child.js', import.meta.url))
const PROCESSES = 4

/** The core migration plus fixtures that each append one row to a log, so a double run shows up as a duplicate. */
function fixtureFolder (): string {
  const folder = mkdtempSync(join(tmpdir(), 'warden-concurrent-'))
  const source = defaultMigrationsDirectory()
  for (const file of readdirSync(source).filter((name) => name.startsWith('20261129000001_'))) copyFileSync(join(source, file), join(folder, file))
  writeFileSync(join(folder, '20261129000090_run_log.up.sql'), 'CREATE TABLE run_log (version VARCHAR(14) NOT NULL);\nINSERT INTO run_log (version) VALUES (\'20261129000090\');')
  writeFileSync(join(folder, '20261129000090_run_log.down.sql'), 'DROP TABLE run_log;')
  for (let n = 91; n <= 95; n++) {
    const version = `202611290000${n}`
    writeFileSync(join(folder, `${version}_step_${n}.up.sql`), `CREATE TABLE step_${n} (id INT NOT NULL PRIMARY KEY);\nINSERT INTO run_log (version) VALUES ('${version}');`)
    writeFileSync(join(folder, `${version}_step_${n}.down.sql`), `DROP TABLE step_${n};`)
  }
  return folder
}

const folder = fixtureFolder()
after(() => { rmSync(folder, { recursive: true, force: true }) })

// MySQL takes the same path as PostgreSQL (a session lock); the brief asks for SQLite and PostgreSQL, MySQL is free.
for (const entry of testDialects()) {
  describe(`concurrent migrate sql up on ${entry.dialect}`, () => {
    after(() => entry.dropFreshDatabases())

    test(`${PROCESSES} processes at once: all succeed, every migration applied exactly once`, async () => {
      const dsn = await entry.createFreshDsn()
      const outputs = await Promise.all(Array.from({ length: PROCESSES }, async () => {
        const { stdout } = await run(process.execPath, [CHILD, dsn, folder], { timeout: 60_000 })
        return JSON.parse(stdout) as { applied: string[], networkId: string }
      }))
      const applied = outputs.flatMap((o) => o.applied).sort()
      const database = openDatabase(dsn)
      try {
        const status = await migrationStatus(database, { directory: folder })
        assert.ok(status.every((m) => m.applied))
        assert.deepEqual(applied, status.map((m) => m.version), 'each version reported by exactly one process')
        const { rows } = await sql<{ version: string }>`select version from run_log order by version`.execute(database.db)
        assert.deepEqual(rows.map((r) => r.version), status.map((m) => m.version).filter((v) => v !== '20261129000001'))
        assert.equal(new Set(outputs.map((o) => o.networkId)).size, 1, 'all processes agree on the network')
        const networks = await database.db.selectFrom('networks').select('id').execute()
        assert.equal(networks.length, 1)
      } finally {
        await database.close()
      }
    })
  })
}
