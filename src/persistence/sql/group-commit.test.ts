// Group commit: rows of one turn share a statement and its commit; a caller hears "stored" only once another connection
// can read the row; a statement that fails for another reason than a constraint fails all its callers and stores
// nothing; a row that breaks a constraint fails only its own caller, on every database.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import { openMigratedTestDatabase, testDialects } from '../../../test/support/databases.js'
import { openDatabase, type SqlDatabase } from './db.js'
import { GroupCommit } from './group-commit.js'

describe('GroupCommit on SQLite', () => {
  const folder = mkdtempSync(join(tmpdir(), 'warden-group-commit-'))
  const file = join(folder, 'db.sqlite')
  let database: SqlDatabase
  let db: Kysely<any>
  let observer: BetterSqlite3.Database

  before(async () => {
    database = openDatabase(`sqlite://${file}`)
    db = database.db as unknown as Kysely<any>
    await sql`create table parent (id text primary key)`.execute(db)
    await sql`insert into parent (id) values ('p1')`.execute(db)
    // The deferred foreign key is checked at COMMIT, so a batch holding an orphan fails as a whole there.
    await sql`create table child (id text primary key, parent_id text not null references parent (id) deferrable initially deferred)`.execute(db)
    // A second connection: it sees only what is committed.
    observer = new BetterSqlite3(file, { readonly: true })
  })
  after(async () => {
    observer.close()
    await database.close()
    rmSync(folder, { recursive: true, force: true })
  })

  const countRows = (): number => (observer.prepare('select count(*) as n from child').get() as { n: number }).n

  test('rows arriving in one turn share one commit, and each caller resolves only once the row is readable elsewhere', async () => {
    const groupCommit = new GroupCommit(db)
    const walBefore = statSync(`${file}-wal`).size
    const rowsVisibleAtResolve: number[] = []
    const ownRowVisible: boolean[] = []
    await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      await groupCommit.insert('child', { id: `a${i}`, parent_id: 'p1' })
      ownRowVisible.push(observer.prepare('select id from child where id = ?').get(`a${i}`) !== undefined)
      rowsVisibleAtResolve.push(countRows())
    }))
    assert.equal(ownRowVisible.length, 50)
    assert.ok(ownRowVisible.every(Boolean), 'every caller resolved after its row was committed')
    // One transaction: the first caller to hear back already sees all 50 rows.
    assert.deepEqual(new Set(rowsVisibleAtResolve), new Set([50]))
    // Each commit appends every page it touched to the WAL (4 KiB + a 24-byte header each): one commit of 50 small
    // rows touches a handful of pages, 50 commits at least 100.
    const pagesWritten = (statSync(`${file}-wal`).size - walBefore) / (4096 + 24)
    assert.ok(pagesWritten <= 10, `${pagesWritten} pages written to the WAL`)
  })

  test('a duplicate key fails only its own caller; the rest of the batch commits', async () => {
    const groupCommit = new GroupCommit(db)
    const results = await Promise.allSettled([
      groupCommit.insert('child', { id: 'b1', parent_id: 'p1' }),
      groupCommit.insert('child', { id: 'a0', parent_id: 'p1' }),
      groupCommit.insert('child', { id: 'b2', parent_id: 'p1' })
    ])
    assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled'])
    assert.match(String((results[1] as PromiseRejectedResult).reason?.code), /^SQLITE_CONSTRAINT/)
    assert.ok(observer.prepare('select 1 from child where id = ?').get('b2') !== undefined)
  })

  test('a foreign key broken at commit time fails only its own caller', async () => {
    const groupCommit = new GroupCommit(db)
    const before = countRows()
    const results = await Promise.allSettled([
      groupCommit.insert('child', { id: 'c1', parent_id: 'p1' }),
      groupCommit.insert('child', { id: 'c2', parent_id: 'missing-parent' }),
      groupCommit.insert('child', { id: 'c3', parent_id: 'p1' })
    ])
    assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled'])
    assert.equal(countRows(), before + 2)
  })

  test('a statement that fails on something else (disk full) fails all its callers and stores none of its rows', async () => {
    const groupCommit = new GroupCommit(db)
    const before = countRows()
    const pages = (await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0]?.page_count ?? 0
    await sql.raw(`pragma max_page_count = ${pages}`).execute(db)
    try {
      const results = await Promise.allSettled(Array.from({ length: 20 }, async (_, i) => {
        await groupCommit.insert('child', { id: `full-${i}-${'x'.repeat(2000)}`, parent_id: 'p1' })
      }))
      assert.ok(results.every((result) => result.status === 'rejected'), JSON.stringify(results.map((result) => result.status)))
      assert.match(String((results[0] as PromiseRejectedResult).reason?.code), /SQLITE_FULL/)
      assert.equal(countRows(), before, 'nothing of the failed statement is stored')
    } finally {
      await sql.raw('pragma max_page_count = 1073741823').execute(db)
    }
    await groupCommit.insert('child', { id: 'after-full', parent_id: 'p1' })
    assert.equal(countRows(), before + 1)
  })
})

for (const entry of testDialects()) {
  describe(`GroupCommit on ${entry.dialect}`, () => {
    let database: SqlDatabase
    before(async () => { database = await openMigratedTestDatabase(entry) })
    after(async () => {
      await database?.close()
      await entry.dropFreshDatabases()
    })

    test('rows of one turn are stored; a duplicate key fails only its own caller', async () => {
      const db = database.db as unknown as Kysely<any>
      await sql`create table group_commit_probe (id varchar(40) not null primary key)`.execute(db)
      const groupCommit = new GroupCommit(db)
      const ids = ['one', 'two', 'one', 'three']
      const results = await Promise.allSettled(ids.map(async (id) => { await groupCommit.insert('group_commit_probe', { id }) }))
      const failed = results.filter((result) => result.status === 'rejected')
      assert.equal(failed.length, 1)
      const stored = (await db.selectFrom('group_commit_probe').select('id').orderBy('id').execute()).map((row) => row.id as string)
      assert.deepEqual(stored, ['one', 'three', 'two'])
    })
  })
}
