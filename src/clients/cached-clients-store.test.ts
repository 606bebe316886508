// The client cache's rules: served within the TTL, read again after it, dropped on every write through it (also
// when a read raced the write), misses not kept, entries frozen, bounded. Backed by a real SQLite store.
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { openMigratedTestDatabase, testDialects, type TestDialect } from '../../test/support/databases.js'
import { ManualClock } from '../lib/clock.js'
import { SqlClientsStore } from '../persistence/sql/clients.sql.js'
import type { SqlDatabase } from '../persistence/sql/db.js'
import { CachedClientsStore, withClientCache } from './cached-clients-store.js'
import type { OAuth2Client } from './client.js'
import { sampleClient } from './clients.store.contract.js'
import type { ClientsStore } from './clients.store.js'

/** The real store, counting reads, with a hook that runs while a read is in flight. */
class CountingStore extends SqlClientsStore {
  reads = 0
  duringRead: (() => Promise<void>) | undefined

  override async getClient (id: string): Promise<OAuth2Client | undefined> {
    this.reads++
    const client = await super.getClient(id)
    const hook = this.duringRead
    this.duringRead = undefined
    await hook?.()
    return client
  }
}

describe('CachedClientsStore', () => {
  let database: SqlDatabase
  let store: CountingStore
  let clock: ManualClock
  let cache: CachedClientsStore

  before(async () => { database = await openMigratedTestDatabase(testDialects()[0] as TestDialect) })
  after(async () => { await database?.close() })
  beforeEach(() => {
    store = new CountingStore(database)
    clock = new ManualClock(new Date('2026-11-29T12:00:00Z'))
    cache = new CachedClientsStore(store, { ttlMs: 1000, clock })
  })

  test('within the TTL a client is read once; after it, again', async () => {
    const client = sampleClient()
    await store.insertClient(client)
    assert.equal((await cache.getClient(client.id))?.id, client.id)
    assert.equal((await cache.getClient(client.id))?.id, client.id)
    assert.equal(store.reads, 1)
    clock.advance(1000)
    await cache.getClient(client.id)
    assert.equal(store.reads, 2)
  })

  test('a change made behind the cache (another instance) shows after the TTL, not before', async () => {
    const client = sampleClient({ name: 'before' })
    await store.insertClient(client)
    await cache.getClient(client.id)
    await store.updateClient({ ...client, name: 'after' })
    assert.equal((await cache.getClient(client.id))?.name, 'before')
    clock.advance(1001)
    assert.equal((await cache.getClient(client.id))?.name, 'after')
  })

  test('update and delete through the cache are seen at once', async () => {
    const client = sampleClient({ name: 'v1' })
    await cache.insertClient(client)
    await cache.getClient(client.id)
    assert.equal(await cache.updateClient({ ...client, name: 'v2' }), true)
    assert.equal((await cache.getClient(client.id))?.name, 'v2')
    assert.equal(await cache.deleteClient(client.id), true)
    assert.equal(await cache.getClient(client.id), undefined)
  })

  test('a read that raced a write is returned but not remembered', async () => {
    const client = sampleClient({ name: 'old' })
    await store.insertClient(client)
    store.duringRead = async () => { await cache.updateClient({ ...client, name: 'new' }) }
    assert.equal((await cache.getClient(client.id))?.name, 'old')
    assert.equal((await cache.getClient(client.id))?.name, 'new')
  })

  test('misses are not remembered: a client created elsewhere works at once', async () => {
    const client = sampleClient()
    assert.equal(await cache.getClient(client.id), undefined)
    await store.insertClient(client)
    assert.equal((await cache.getClient(client.id))?.id, client.id)
  })

  test('cached clients are frozen, so no caller changes what the next one reads', async () => {
    const client = sampleClient({ redirectUris: ['https://app.example/cb'] })
    await store.insertClient(client)
    const first = await cache.getClient(client.id) as OAuth2Client
    assert.throws(() => { (first.redirectUris as string[]).push('https://evil.example/cb') }, TypeError)
    assert.throws(() => { first.name = 'changed' }, TypeError)
    assert.deepEqual((await cache.getClient(client.id))?.redirectUris, ['https://app.example/cb'])
  })

  test('bounded: the oldest entry goes first', async () => {
    const small = new CachedClientsStore(store, { ttlMs: 60_000, clock, maxEntries: 2 })
    const clients = [sampleClient(), sampleClient(), sampleClient()]
    for (const client of clients) await store.insertClient(client)
    for (const client of clients) await small.getClient(client.id)
    assert.equal(small.size, 2)
    const readsBefore = store.reads
    await small.getClient(clients[2]!.id)
    assert.equal(store.reads, readsBefore, 'the newest is still cached')
    await small.getClient(clients[0]!.id)
    assert.equal(store.reads, readsBefore + 1, 'the oldest was dropped')
  })

  test('clients.cache.ttl 0s means no cache', () => {
    const plain: ClientsStore = store
    assert.equal(withClientCache(plain, { ttlMs: 0, clock }), plain)
    assert.ok(withClientCache(plain, { ttlMs: 1000, clock }) instanceof CachedClientsStore)
  })
})
