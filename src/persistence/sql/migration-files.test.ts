// Migration file discovery (dialect files win over generic ones) and the statement splitter.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultMigrationsDirectory, loadMigrations, packageRoot, splitSqlStatements } from './migration-files.js'

describe('splitSqlStatements', () => {
  test('splits on semicolons and drops empty or comment-only chunks', () => {
    const text = '-- header\nCREATE TABLE a (id INT);\n\nCREATE TABLE b (id INT); -- trailing\n;\n/* only a comment */;\nINSERT INTO a VALUES (1)'
    assert.deepEqual(splitSqlStatements(text, 'sqlite'), [
      '-- header\nCREATE TABLE a (id INT)',
      'CREATE TABLE b (id INT)',
      'INSERT INTO a VALUES (1)'
    ])
  })

  test('keeps semicolons inside quotes and comments', () => {
    const text = "INSERT INTO t VALUES ('a;b', 'it''s; fine'); -- c;d\nSELECT \"x;y\" FROM t /* e; f */;"
    assert.deepEqual(splitSqlStatements(text, 'sqlite'), [
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      '-- c;d\nSELECT "x;y" FROM t /* e; f */'
    ])
  })

  test('PostgreSQL dollar quotes and E-strings', () => {
    const text = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;\nSELECT E'a\\';b';\nDO $$ BEGIN PERFORM 1; END $$;"
    assert.deepEqual(splitSqlStatements(text, 'postgres'), [
      'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql',
      "SELECT E'a\\';b'",
      'DO $$ BEGIN PERFORM 1; END $$'
    ])
  })

  test('MySQL backslash escapes, backticks and # comments', () => {
    const text = "INSERT INTO `a;b` VALUES ('x\\';y'); # note; here\nSELECT 1;"
    assert.deepEqual(splitSqlStatements(text, 'mysql'), [
      "INSERT INTO `a;b` VALUES ('x\\';y')",
      '# note; here\nSELECT 1'
    ])
  })
})

describe('loadMigrations', () => {
  const folder = mkdtempSync(join(tmpdir(), 'warden-migration-files-'))
  after(() => { rmSync(folder, { recursive: true, force: true }) })
  const write = (name: string, text: string): void => { writeFileSync(join(folder, name), text) }

  write('20260101000001_first.up.sql', 'CREATE TABLE generic (id INT);')
  write('20260101000001_first.sqlite.up.sql', 'CREATE TABLE lite (id INT);')
  write('20260101000001_first.down.sql', 'DROP TABLE generic;')
  write('20260101000002_pg_only.postgres.up.sql', 'SELECT 1;')
  write('20260101000003_no_down.up.sql', 'SELECT 1; SELECT 2;')
  write('20260101000004_cockroach.cockroach.up.sql', 'SELECT 1;')
  write('README.md', 'not a migration')

  test('picks the dialect file over the generic one, per direction', () => {
    const sqlite = loadMigrations(folder, 'sqlite')
    assert.deepEqual(sqlite.map((m) => [m.version, m.name]), [['20260101000001', 'first'], ['20260101000003', 'no_down']])
    assert.deepEqual(sqlite[0]?.upStatements, ['CREATE TABLE lite (id INT)'])
    assert.deepEqual(sqlite[0]?.downStatements, ['DROP TABLE generic'])
    assert.equal(sqlite[1]?.downStatements, undefined)
    assert.deepEqual(sqlite[1]?.upStatements, ['SELECT 1', 'SELECT 2'])
  })

  test('a version without a file for the dialect does not exist for it', () => {
    const postgres = loadMigrations(folder, 'postgres')
    assert.deepEqual(postgres.map((m) => m.version), ['20260101000001', '20260101000002', '20260101000003'])
    assert.deepEqual(postgres[0]?.upStatements, ['CREATE TABLE generic (id INT)'])
  })

  test('rejects badly named files and inconsistent names', () => {
    const bad = mkdtempSync(join(tmpdir(), 'warden-migration-bad-'))
    try {
      writeFileSync(join(bad, '2026_short.up.sql'), '')
      assert.throws(() => loadMigrations(bad, 'sqlite'), /does not match/)
      rmSync(join(bad, '2026_short.up.sql'))
      writeFileSync(join(bad, '20260101000001_a.up.sql'), '')
      writeFileSync(join(bad, '20260101000001_b.down.sql'), '')
      assert.throws(() => loadMigrations(bad, 'sqlite'), /has two names/)
    } finally {
      rmSync(bad, { recursive: true, force: true })
    }
  })
})

test('the default directory is found from src/ and dist/ alike and holds the core migration', () => {
  assert.ok(existsSync(join(packageRoot(), 'package.json')))
  assert.ok(existsSync(join(defaultMigrationsDirectory(), '20261129000001_core.sqlite.up.sql')))
  for (const dialect of ['sqlite', 'postgres', 'mysql'] as const) {
    const core = loadMigrations(defaultMigrationsDirectory(), dialect).find((m) => m.version === '20261129000001')
    assert.equal(core?.name, 'core')
    assert.ok(core?.downStatements !== undefined)
  }
})
