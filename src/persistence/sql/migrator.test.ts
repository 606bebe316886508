// The migrator on every dialect of the matrix, with fixture migrations in temporary folders.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { testDialects, type TestDialect } from '../../../test/support/databases.js'
import { openDatabase, type SqlDatabase } from './db.js'
import { MigrationError, migrateDown, migrateUp, migrationStatus, pendingMigrations } from './migrator.js'

const folders: string[] = []
after(() => { for (const folder of folders) rmSync(folder, { recursive: true, force: true }) })

/** A folder holding the given files (name → SQL). */
function migrationsFolder (files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'warden-migrations-'))
  folders.push(folder)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text)
  return folder
}

const FIRST = {
  '20260101000001_fixture_a.up.sql': 'CREATE TABLE fixture_a (id VARCHAR(36) NOT NULL PRIMARY KEY, label VARCHAR(64) NOT NULL);',
  '20260101000001_fixture_a.down.sql': 'DROP TABLE fixture_a;'
}
const LATER = {
  '20260101000002_fixture_a_extra.up.sql': 'ALTER TABLE fixture_a ADD COLUMN extra VARCHAR(20) NULL;',
  '20260101000002_fixture_a_extra.down.sql': 'ALTER TABLE fixture_a DROP COLUMN extra;',
  '20260101000003_fixture_b.up.sql': 'CREATE TABLE fixture_b (id INT NOT NULL PRIMARY KEY);\nINSERT INTO fixture_b (id) VALUES (1);\nINSERT INTO fixture_b (id) VALUES (2);',
  '20260101000003_fixture_b.down.sql': 'DROP TABLE fixture_b;'
}

async function fresh (entry: TestDialect): Promise<SqlDatabase> {
  const database = openDatabase(await entry.createFreshDsn())
  await database.connect({ resolveNetwork: false, giveUpAfterMs: 10_000 })
  return database
}

async function tableExists (db: Kysely<any>, table: string): Promise<boolean> {
  try {
    await sql`select count(*) as n from ${sql.table(table)}`.execute(db)
    return true
  } catch {
    return false
  }
}

for (const entry of testDialects()) {
  describe(`migrator on ${entry.dialect}`, () => {
    after(() => entry.dropFreshDatabases())

    test('status before anything ran, up, idempotent up, status after', async () => {
      const database = await fresh(entry)
      try {
        const directory = migrationsFolder({ ...FIRST, ...LATER })
        const before = await migrationStatus(database, { directory })
        assert.deepEqual(before.map((m) => [m.version, m.applied]), [['20260101000001', false], ['20260101000002', false], ['20260101000003', false]])
        assert.equal((await pendingMigrations(database, { directory })).length, 3)

        const applied = await migrateUp(database, { directory })
        assert.deepEqual(applied, [
          { version: '20260101000001', name: 'fixture_a' },
          { version: '20260101000002', name: 'fixture_a_extra' },
          { version: '20260101000003', name: 'fixture_b' }
        ])
        assert.deepEqual(await migrateUp(database, { directory }), [], 'a second run applies nothing')
        const status = await migrationStatus(database, { directory })
        assert.ok(status.every((m) => m.applied && m.appliedAt instanceof Date && m.hasFile))
        assert.deepEqual(await pendingMigrations(database, { directory }), [])
        const rows = await sql<{ n: number }>`select count(*) as n from fixture_b`.execute(database.db)
        assert.equal(Number(rows.rows[0]?.n), 2)
      } finally {
        await database.close()
      }
    })

    test('a fixture row survives later migrations going down and up again', async () => {
      const database = await fresh(entry)
      try {
        await migrateUp(database, { directory: migrationsFolder(FIRST) })
        await sql`insert into fixture_a (id, label) values ('row-1', 'kept')`.execute(database.db)
        const directory = migrationsFolder({ ...FIRST, ...LATER })
        assert.equal((await migrateUp(database, { directory })).length, 2)
        await sql`update fixture_a set extra = 'x' where id = 'row-1'`.execute(database.db)

        const rolledBack = await migrateDown(database, 2, { directory })
        assert.deepEqual(rolledBack.map((m) => m.version), ['20260101000003', '20260101000002'])
        assert.equal(await tableExists(database.db, 'fixture_b'), false)
        assert.deepEqual((await pendingMigrations(database, { directory })).map((m) => m.version), ['20260101000002', '20260101000003'])

        assert.equal((await migrateUp(database, { directory })).length, 2)
        const { rows } = await sql<{ id: string, label: string, extra: string | null }>`select id, label, extra from fixture_a`.execute(database.db)
        assert.deepEqual(rows.map((r) => ({ ...r })), [{ id: 'row-1', label: 'kept', extra: null }])
      } finally {
        await database.close()
      }
    })

    test('down: default one step, more steps than applied, nothing applied', async () => {
      const database = await fresh(entry)
      try {
        const directory = migrationsFolder({ ...FIRST, ...LATER })
        assert.deepEqual(await migrateDown(database, 1, { directory }), [])
        await migrateUp(database, { directory })
        assert.deepEqual((await migrateDown(database, undefined, { directory })).map((m) => m.version), ['20260101000003'])
        assert.deepEqual((await migrateDown(database, 10, { directory })).map((m) => m.version), ['20260101000002', '20260101000001'])
        assert.equal(await tableExists(database.db, 'fixture_a'), false)
        await assert.rejects(migrateDown(database, 0, { directory }), RangeError)
      } finally {
        await database.close()
      }
    })

    test('a failing migration keeps the earlier ones and reports which one failed', async () => {
      const database = await fresh(entry)
      try {
        const directory = migrationsFolder({
          ...FIRST,
          '20260101000002_broken.up.sql': 'CREATE TABLE half_done (id INT NOT NULL PRIMARY KEY);\nSELECT * FROM no_such_table;',
          '20260101000002_broken.down.sql': 'DROP TABLE half_done;'
        })
        await assert.rejects(migrateUp(database, { directory }), (error: unknown) => {
          assert.ok(error instanceof MigrationError)
          assert.equal(error.version, '20260101000002')
          assert.match(error.message, /20260101000002_broken \(up\) failed at statement 2/)
          return true
        })
        const status = await migrationStatus(database, { directory })
        assert.deepEqual(status.map((m) => [m.version, m.applied]), [['20260101000001', true], ['20260101000002', false]])
        // MySQL commits DDL implicitly, so only the transactional dialects undo the first statement.
        assert.equal(await tableExists(database.db, 'half_done'), entry.dialect === 'mysql')
      } finally {
        await database.close()
      }
    })

    test('down refuses a migration without a down file and changes nothing', async () => {
      const database = await fresh(entry)
      try {
        const directory = migrationsFolder({ ...FIRST, '20260101000002_one_way.up.sql': 'CREATE TABLE one_way (id INT NOT NULL PRIMARY KEY);' })
        await migrateUp(database, { directory })
        await assert.rejects(migrateDown(database, 2, { directory }), /20260101000002_one_way: it has no down file/)
        assert.ok((await migrationStatus(database, { directory })).every((m) => m.applied))
      } finally {
        await database.close()
      }
    })

    test('status lists applied versions whose file is gone', async () => {
      const database = await fresh(entry)
      try {
        await migrateUp(database, { directory: migrationsFolder({ ...FIRST, ...LATER }) })
        const status = await migrationStatus(database, { directory: migrationsFolder(FIRST) })
        assert.deepEqual(status.map((m) => [m.version, m.applied, m.hasFile]), [
          ['20260101000001', true, true], ['20260101000002', true, false], ['20260101000003', true, false]
        ])
        await assert.rejects(migrateDown(database, 1, { directory: migrationsFolder(FIRST) }), /no file for it exists/)
      } finally {
        await database.close()
      }
    })

    // SQLite in one process has one connection per handle and blocks the thread while waiting for a lock;
    // its concurrency is tested with child processes (test/migrations/concurrent-migrate.test.ts).
    if (entry.dialect !== 'sqlite') {
      test('four handles migrating one database at once apply each migration exactly once', async () => {
        const dsn = await entry.createFreshDsn()
        const directory = migrationsFolder({ ...FIRST, ...LATER })
        const handles = [0, 1, 2, 3].map(() => openDatabase(dsn))
        try {
          const results = await Promise.all(handles.map(async (handle) => await migrateUp(handle, { directory })))
          const versions = results.flat().map((m) => m.version).sort()
          assert.deepEqual(versions, ['20260101000001', '20260101000002', '20260101000003'])
          const rows = await sql<{ n: number }>`select count(*) as n from fixture_b`.execute(handles[0]!.db)
          assert.equal(Number(rows.rows[0]?.n), 2)
        } finally {
          await Promise.all(handles.map(async (handle) => { await handle.close() }))
        }
      })
    }
  })
}
