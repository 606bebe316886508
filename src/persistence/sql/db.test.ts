// openDatabase on every dialect: network id, value normalisation, transactions, and a database that is down.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net'
import { sql, type Kysely } from 'kysely'
import { openMigratedTestDatabase, testDialects } from '../../../test/support/databases.js'
import type { Dialect } from './database.js'
import { openDatabase } from './db.js'
import { parseDsn, type MysqlDsn, type PostgresDsn } from './dsn.js'
import { isRetryableTransactionError, transaction } from './transaction.js'

const TYPES_TABLE: Record<Dialect, string> = {
  sqlite: 'create table value_types (id int not null primary key, at timestamp not null, flag boolean not null, big bigint not null, note text null, stamped timestamp not null default current_timestamp)',
  postgres: 'create table value_types (id int not null primary key, at timestamp not null, flag boolean not null, big bigint not null, note text null, stamped timestamp not null default current_timestamp)',
  mysql: 'create table value_types (id int not null primary key, at datetime(3) not null, flag boolean not null, big bigint not null, note text null, stamped datetime(3) not null default current_timestamp(3))'
}

interface ValueRow { id: number, at: Date, flag: boolean, big: number | string, note: string | null, stamped?: Date }

for (const entry of testDialects()) {
  describe(`database on ${entry.dialect}`, () => {
    after(() => entry.dropFreshDatabases())

    test('networkId needs connect(); handles agree on the network; close is idempotent', async () => {
      const dsn = await entry.createFreshDsn()
      const first = openDatabase(dsn)
      assert.throws(() => first.networkId, /call connect\(\)/)
      await first.connect({ resolveNetwork: false })
      const { migrateUp } = await import('./migrator.js')
      await migrateUp(first)
      await first.resolveNetwork()
      const second = openDatabase(dsn)
      await second.connect()
      assert.equal(second.networkId, first.networkId)
      assert.match(first.networkId, /^[0-9a-f-]{36}$/)
      await first.close()
      await first.close()
      await assert.rejects(first.ping(), /closed/)
      await second.close()
    })

    test('connect() on an unmigrated database says to run the migrations', async () => {
      const database = openDatabase(await entry.createFreshDsn())
      try {
        await assert.rejects(database.connect(), /run `warden migrate sql up` first/)
      } finally {
        await database.close()
      }
    })

    if (entry.dialect !== 'sqlite') {
      test('replicas starting together create a single network row', async () => {
        const dsn = await entry.createFreshDsn()
        const handles = [0, 1, 2, 3].map(() => openDatabase(dsn))
        try {
          const { migrateUp } = await import('./migrator.js')
          await migrateUp(handles[0]!)
          const ids = await Promise.all(handles.map(async (handle) => await handle.resolveNetwork()))
          assert.equal(new Set(ids).size, 1)
          const rows = await handles[0]!.db.selectFrom('networks').select('id').execute()
          assert.equal(rows.length, 1)
        } finally {
          await Promise.all(handles.map(async (handle) => { await handle.close() }))
        }
      })
    }

    test('dates, booleans and bigints come back as Date, boolean and number', async () => {
      const database = await openMigratedTestDatabase(entry)
      try {
        const db = database.db as unknown as Kysely<{ value_types: ValueRow }>
        await sql.raw(TYPES_TABLE[entry.dialect]).execute(db)
        const at = new Date('2026-03-04T05:06:07.089Z')
        await db.insertInto('value_types').values([
          { id: 1, at, flag: true, big: 9_007_199_254_740_991, note: null },
          { id: 2, at, flag: false, big: -42, note: 'x' }
        ]).execute()
        const rows = await db.selectFrom('value_types').select(['id', 'at', 'flag', 'big', 'note']).orderBy('id').execute()
        assert.deepEqual(rows.map((row) => ({ ...row })), [
          { id: 1, at, flag: true, big: 9_007_199_254_740_991, note: null },
          { id: 2, at, flag: false, big: -42, note: 'x' }
        ])
        const later = await db.selectFrom('value_types').select('id').where('at', '<', new Date(at.getTime() + 1)).execute()
        assert.equal(later.length, 2, 'Date parameters compare with stored timestamps')
        const { rows: counted } = await sql<{ n: number }>`select count(*) as n from value_types where flag = ${true}`.execute(db)
        assert.equal(counted[0]?.n, 1)
        // Database-side defaults are UTC too: within minutes of now whatever the process or server time zone.
        const { stamped } = await db.selectFrom('value_types').select('stamped').where('id', '=', 1).executeTakeFirstOrThrow()
        assert.ok(stamped instanceof Date)
        assert.ok(Math.abs(stamped.getTime() - Date.now()) < 10 * 60_000, `default ${stamped.toISOString()} is far from now`)
      } finally {
        await database.close()
      }
    })

    test('transaction() commits, rolls back, and retries serialization failures', async () => {
      const database = await openMigratedTestDatabase(entry)
      try {
        const db = database.db as unknown as Kysely<{ value_types: ValueRow }>
        await sql.raw(TYPES_TABLE[entry.dialect]).execute(db)
        const row = (id: number): ValueRow => ({ id, at: new Date(), flag: true, big: id, note: null })
        await transaction({ db, dialect: database.dialect }, async (trx) => { await trx.insertInto('value_types').values(row(1)).execute() })
        await assert.rejects(transaction({ db, dialect: database.dialect }, async (trx) => {
          await trx.insertInto('value_types').values(row(2)).execute()
          throw new Error('changed my mind')
        }), /changed my mind/)
        let attempts = 0
        const work = transaction({ db, dialect: database.dialect }, async (trx) => {
          attempts++
          await trx.insertInto('value_types').values(row(3)).execute()
          if (attempts === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' })
          return 'done'
        })
        if (entry.dialect === 'sqlite') {
          await assert.rejects(work, /could not serialize/)
          assert.equal(attempts, 1)
        } else {
          assert.equal(await work, 'done')
          assert.equal(attempts, 2)
        }
        const ids = (await db.selectFrom('value_types').select('id').orderBy('id').execute()).map((r) => r.id)
        assert.deepEqual(ids, entry.dialect === 'sqlite' ? [1] : [1, 3])
      } finally {
        await database.close()
      }
    })

    if (entry.dialect === 'postgres') {
      test('without sslmode (prefer) it connects with TLS when offered and falls back to plain text otherwise', async () => {
        const database = openDatabase((await entry.createFreshDsn()).replace(/([?&])sslmode=[^&]*&?/, '$1').replace(/[?&]$/, ''))
        try {
          assert.equal((database.dsn as PostgresDsn).sslMode, 'prefer')
          await database.ping()
          await database.ping()
        } finally {
          await database.close()
        }
      })
    }

    if (entry.dialect !== 'sqlite') describeDatabaseDown(() => entry.createFreshDsn())
  })
}

/** A port with nothing listening on it (the kernel just handed it out, so nothing else took it). */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => { resolve() }))
  return port
}

/** Forwards every connection on `port` to the real server, so a "down" DSN starts working. */
function startProxy (port: number, target: { host: string, port: number }): Promise<Server> {
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = tcpConnect(target.port, target.host)
    for (const socket of [client, upstream]) { sockets.add(socket); socket.on('error', () => {}) }
    client.pipe(upstream).pipe(client)
  })
  server.on('close', () => { for (const socket of sockets) socket.destroy() })
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => { resolve(server) }))
}

function pointAt (dsn: string, port: number): string {
  return dsn.replace(/@(tcp\()?[^/()]+(\))?\//, (_all, open?: string, close?: string) => `@${open ?? ''}127.0.0.1:${port}${close ?? ''}/`)
}

function describeDatabaseDown (freshDsn: () => Promise<string>): void {
  test('a database that is down: ping rejects, connect retries and can be aborted', async () => {
    const database = openDatabase(pointAt(await freshDsn(), await closedPort()))
    try {
      await assert.rejects(database.ping(), /ECONNREFUSED|connect/)
      const controller = new AbortController()
      const retries: number[] = []
      await assert.rejects(database.connect({
        signal: controller.signal,
        initialDelayMs: 5,
        onRetry: (_error, attempt) => { retries.push(attempt); if (attempt === 2) controller.abort() }
      }), { name: 'AbortError' })
      assert.deepEqual(retries, [1, 2])
    } finally {
      await database.close()
    }
  })

  test('connect() succeeds once the database comes up', async () => {
    const real = await freshDsn()
    const parsed = parseDsn(real) as PostgresDsn | MysqlDsn
    const port = await closedPort()
    const database = openDatabase(pointAt(real, port))
    let proxy: Server | undefined
    try {
      let attempts = 0
      await database.connect({
        resolveNetwork: false,
        initialDelayMs: 5,
        onRetry: (_error, attempt) => { attempts = attempt; if (attempt === 2 && proxy === undefined) void startProxy(port, parsed).then((s) => { proxy = s }) }
      })
      assert.ok(attempts >= 2)
      await database.ping()
    } finally {
      await database.close()
      await new Promise<void>((resolve) => { if (proxy === undefined) resolve(); else proxy.close(() => { resolve() }) })
    }
  })
}

test('isRetryableTransactionError', () => {
  assert.equal(isRetryableTransactionError({ code: '40001' }), true)
  assert.equal(isRetryableTransactionError({ code: '40P01' }), true)
  assert.equal(isRetryableTransactionError({ errno: 1213, code: 'ER_LOCK_DEADLOCK' }), true)
  assert.equal(isRetryableTransactionError({ sqlState: '40001', errno: 1205 }), true)
  assert.equal(isRetryableTransactionError({ code: '23505' }), false)
  assert.equal(isRetryableTransactionError(new Error('x')), false)
  assert.equal(isRetryableTransactionError(undefined), false)
})
