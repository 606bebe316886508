// SqlTlsCertificateStore: racing replicas end up with the same certificate, on every dialect.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openMigratedTestDatabase, testDialects } from '../../../test/support/databases.js'
import type { StoredTlsCertificate } from '../../keys/tls-certificate.store.js'
import { openDatabase, type SqlDatabase } from './db.js'
import { SqlTlsCertificateStore } from './tls-certificate.sql.js'

function candidate (name: string): StoredTlsCertificate {
  return { sealedPrivateKeyPem: `sealed-key-${name}`, certificatePem: `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`, createdAt: new Date('2026-01-02T03:04:05.678Z') }
}

for (const entry of testDialects()) {
  describe(`SqlTlsCertificateStore on ${entry.dialect}`, () => {
    after(() => entry.dropFreshDatabases())

    test('find() is empty at first; the first insert wins and later ones read it', async () => {
      const database = await openMigratedTestDatabase(entry)
      try {
        const store = new SqlTlsCertificateStore(database)
        assert.equal(await store.find(), undefined)
        const stored = await store.insertIfAbsent(candidate('a'))
        assert.deepEqual(stored, candidate('a'))
        assert.deepEqual(await store.insertIfAbsent(candidate('b')), candidate('a'))
        assert.deepEqual(await store.find(), candidate('a'))
      } finally {
        await database.close()
      }
    })

    test('two concurrent insertIfAbsent calls return the same row', async () => {
      const first = await openMigratedTestDatabase(entry)
      // PostgreSQL and MySQL race over two pools; SQLite has one connection per process, so one handle.
      const handles: SqlDatabase[] = [first]
      try {
        if (entry.dialect !== 'sqlite') {
          const { dsn } = first
          const second = openDatabase(dsn)
          handles.push(second)
          await second.connect()
        }
        const stores = [new SqlTlsCertificateStore(first), new SqlTlsCertificateStore(handles[handles.length - 1]!)]
        const [a, b] = await Promise.all([stores[0]!.insertIfAbsent(candidate('a')), stores[1]!.insertIfAbsent(candidate('b'))])
        assert.deepEqual(a, b)
        assert.ok(a.certificatePem === candidate('a').certificatePem || a.certificatePem === candidate('b').certificatePem)
        const count = await first.db.withTables<{ warden_tls_certificate: { nid: string } }>()
          .selectFrom('warden_tls_certificate').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
        assert.equal(Number(count.n), 1)
      } finally {
        for (const handle of handles) await handle.close()
      }
    })
  })
}
