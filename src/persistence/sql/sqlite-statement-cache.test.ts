// The SQLite driver keeps prepared statements per SQL text: results stay right across reuse and schema changes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type Kysely } from 'kysely'
import { openDatabase } from './db.js'

test('cached statements: reuse and a schema change', async () => {
  const database = openDatabase('memory')
  const db = database.db as unknown as Kysely<any>
  try {
    await sql`create table t (id integer primary key, note text)`.execute(db)
    for (const note of ['a', 'b', 'c']) await db.insertInto('t').values({ note }).execute()
    const select = async (id: number): Promise<unknown> => (await db.selectFrom('t').select('note').where('id', '=', id).executeTakeFirst())?.note
    assert.deepEqual([await select(1), await select(2), await select(3)], ['a', 'b', 'c'])

    await sql`alter table t add column created_at timestamp`.execute(db)
    await db.updateTable('t').set({ created_at: new Date('2026-01-02T03:04:05.678Z') }).where('id', '=', 1).execute()
    const row = await db.selectFrom('t').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()
    assert.ok(row.created_at instanceof Date, 'a column added after the statement was first cached is converted')
    assert.equal((row.created_at as Date).toISOString(), '2026-01-02T03:04:05.678Z')
  } finally {
    await database.close()
  }
})
