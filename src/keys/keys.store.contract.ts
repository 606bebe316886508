// The behaviour every KeysStore must show, run against each SQL dialect by persistence/sql/keys.sql.test.ts.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { DuplicateKeyError } from './keys.store.js'
import type { KeysStore, StoredKey } from './keys.store.js'

export interface KeysStoreFixture {
  store: KeysStore
  /** Stores on other connections (other pools, another SQLite handle) to the same database and network. */
  racers?: KeysStore[]
  /** A store on the same database but another network (nid). */
  otherNetwork?: KeysStore
  close(): Promise<void>
}

// Each test uses its own set names, so one database serves the whole contract.
const freshSet = (label: string): string => `contract.${label}.${randomUUID()}`
const at = (iso: string): Date => new Date(iso)

function key (set: string, kid: string, createdAt: Date, sealed = `sealed-${kid}`): StoredKey {
  return { set, kid, sealed, createdAt }
}

const summary = (keys: StoredKey[]): Array<[string, string, string]> => keys.map((k) => [k.kid, k.sealed, k.createdAt.toISOString()])

export function describeKeysStore (label: string, setup: () => Promise<KeysStoreFixture>): void {
  describe(`KeysStore contract (${label})`, () => {
    let fixture: KeysStoreFixture
    let store: KeysStore
    before(async () => {
      fixture = await setup()
      store = fixture.store
    })
    after(async () => { await fixture.close() })

    test('lists a set newest first, with millisecond timestamps kept and kid breaking ties', async () => {
      const set = freshSet('order')
      await store.insert([
        key(set, 'b', at('2026-01-01T00:00:00.001Z')),
        key(set, 'c', at('2026-01-01T00:00:00.002Z')),
        key(set, 'a', at('2026-01-01T00:00:00.001Z'))
      ])
      assert.deepEqual(summary(await store.listSet(set)), [
        ['c', 'sealed-c', '2026-01-01T00:00:00.002Z'],
        ['a', 'sealed-a', '2026-01-01T00:00:00.001Z'],
        ['b', 'sealed-b', '2026-01-01T00:00:00.001Z']
      ])
      assert.deepEqual(await store.listSet(freshSet('missing')), [])
    })

    test('finds one key by set and kid only', async () => {
      const set = freshSet('find')
      const other = freshSet('find-other')
      await store.insert([key(set, 'k1', at('2026-02-01T10:00:00.123Z')), key(other, 'k2', at('2026-02-01T10:00:00Z'))])
      const found = await store.find(set, 'k1')
      assert.ok(found)
      assert.equal(found.set, set)
      assert.equal(found.sealed, 'sealed-k1')
      assert.equal(found.createdAt.toISOString(), '2026-02-01T10:00:00.123Z')
      assert.equal(await store.find(set, 'k2'), undefined)
      assert.equal(await store.find(other, 'k1'), undefined)
    })

    test('the same kid may live in two sets, but not twice in one (all or nothing)', async () => {
      const set = freshSet('dup')
      const other = freshSet('dup-other')
      await store.insert([key(set, 'same', at('2026-03-01T00:00:00Z'))])
      await store.insert([key(other, 'same', at('2026-03-01T00:00:00Z'))])
      await assert.rejects(store.insert([key(set, 'fresh', at('2026-03-01T00:00:01Z')), key(set, 'same', at('2026-03-01T00:00:02Z'))]),
        (error: unknown) => error instanceof DuplicateKeyError && error.set === set && error.kid === 'same')
      assert.deepEqual((await store.listSet(set)).map((k) => k.kid), ['same'])
    })

    test('replaces a whole set atomically, and empties it with no keys', async () => {
      const set = freshSet('replace-set')
      await store.insert([key(set, 'old1', at('2026-04-01T00:00:00Z')), key(set, 'old2', at('2026-04-01T00:00:01Z'))])
      await store.replaceSet(set, [key(set, 'new1', at('2026-04-02T00:00:00.002Z')), key(set, 'new2', at('2026-04-02T00:00:00.001Z'))])
      assert.deepEqual((await store.listSet(set)).map((k) => k.kid), ['new1', 'new2'])
      await store.replaceSet(set, [])
      assert.deepEqual(await store.listSet(set), [])
    })

    test('a failed set replacement leaves the old set in place', async () => {
      const set = freshSet('replace-fail')
      await store.insert([key(set, 'keep', at('2026-04-03T00:00:00Z'))])
      await assert.rejects(store.replaceSet(set, [key(set, 'x', at('2026-04-03T00:00:01Z')), key(set, 'x', at('2026-04-03T00:00:02Z'))]), DuplicateKeyError)
      assert.deepEqual((await store.listSet(set)).map((k) => k.kid), ['keep'])
    })

    test('replaces one key, or adds it when absent', async () => {
      const set = freshSet('replace-key')
      await store.insert([key(set, 'k', at('2026-05-01T00:00:00Z'), 'first')])
      await store.replaceKey(key(set, 'k', at('2026-05-02T00:00:00Z'), 'second'))
      await store.replaceKey(key(set, 'other', at('2026-05-01T12:00:00Z'), 'third'))
      assert.deepEqual(summary(await store.listSet(set)), [
        ['k', 'second', '2026-05-02T00:00:00.000Z'],
        ['other', 'third', '2026-05-01T12:00:00.000Z']
      ])
    })

    test('deletes keys and sets, reporting how many rows went', async () => {
      const set = freshSet('delete')
      await store.insert([key(set, 'a', at('2026-06-01T00:00:00Z')), key(set, 'b', at('2026-06-01T00:00:01Z')), key(set, 'c', at('2026-06-01T00:00:02Z'))])
      assert.equal(await store.deleteKey(set, 'b'), 1)
      assert.equal(await store.deleteKey(set, 'b'), 0)
      assert.deepEqual((await store.listSet(set)).map((k) => k.kid), ['c', 'a'])
      assert.equal(await store.deleteSet(set), 2)
      assert.equal(await store.deleteSet(set), 0)
      assert.deepEqual(await store.listSet(set), [])
    })

    test('updates sealed data in place (re-encryption)', async () => {
      const set = freshSet('reseal')
      await store.insert([key(set, 'k', at('2026-07-01T00:00:00.500Z'), 'under-old-secret')])
      assert.equal(await store.updateSealed(set, 'k', 'under-new-secret'), true)
      assert.equal(await store.updateSealed(set, 'gone', 'x'), false)
      assert.deepEqual(summary(await store.listSet(set)), [['k', 'under-new-secret', '2026-07-01T00:00:00.500Z']])
    })

    test('lists every key of the network grouped by set', async () => {
      const first = freshSet('all-a')
      const second = freshSet('all-b')
      await store.insert([key(second, 'x', at('2026-08-01T00:00:00Z')), key(first, 'y', at('2026-08-01T00:00:00Z')), key(first, 'z', at('2026-08-02T00:00:00Z'))])
      const mine = (await store.listAll()).filter((k) => k.set === first || k.set === second)
      // 'all-a' sorts before 'all-b' under any collation, so the expected order does not depend on the database.
      assert.deepEqual(mine.map((k) => [k.set, k.kid]), [[first, 'z'], [first, 'y'], [second, 'x']])
    })

    test('insertIfSetEmpty inserts into an empty set only, and returns what is stored', async () => {
      const set = freshSet('if-empty')
      const first = await store.insertIfSetEmpty(set, [key(set, 'winner', at('2026-09-01T00:00:00Z'))])
      assert.equal(first.inserted, true)
      assert.deepEqual(first.keys.map((k) => k.kid), ['winner'])
      const second = await store.insertIfSetEmpty(set, [key(set, 'loser', at('2026-09-01T00:00:01Z'))])
      assert.equal(second.inserted, false)
      assert.deepEqual(second.keys.map((k) => k.kid), ['winner'])
      assert.deepEqual((await store.listSet(set)).map((k) => k.kid), ['winner'])
    })

    test('insertIfSetEmpty lets exactly one of many concurrent callers insert', async () => {
      const set = freshSet('race')
      const stores = [store, store, ...(fixture.racers ?? []), ...(fixture.racers ?? [])]
      const results = await Promise.all(stores.map(async (racer, index) =>
        await racer.insertIfSetEmpty(set, [key(set, `candidate-${index}`, at('2026-10-01T00:00:00Z'))])))
      assert.equal(results.filter((r) => r.inserted).length, 1)
      const stored = await store.listSet(set)
      assert.equal(stored.length, 1)
      for (const result of results) assert.deepEqual(result.keys.map((k) => k.kid), stored.map((k) => k.kid))
    })

    test('keys are scoped to their network', async (t) => {
      const other = fixture.otherNetwork
      if (other === undefined) { t.skip('no second network in this fixture'); return }
      const set = freshSet('nid')
      await store.insert([key(set, 'mine', at('2026-11-01T00:00:00Z'))])
      assert.deepEqual(await other.listSet(set), [])
      assert.equal(await other.find(set, 'mine'), undefined)
      assert.equal((await other.listAll()).some((k) => k.set === set), false)
      await other.insert([key(set, 'mine', at('2026-11-01T00:00:00Z'), 'theirs')])
      assert.equal(await other.deleteSet(set), 1)
      assert.deepEqual((await store.listSet(set)).map((k) => k.sealed), ['sealed-mine'])
    })
  })
}
