// Runs the KeysStore contract on every dialect of the test matrix (SQLite always; PostgreSQL/MySQL when configured).
import { after, describe } from 'node:test'
import { randomUUID } from 'node:crypto'
import { describeKeysStore } from '../../keys/keys.store.contract.js'
import { testDialects } from '../../../test/support/databases.js'
import type { Database } from './database.js'
import { openDatabase } from './db.js'
import type { SqlDatabase } from './db.js'
import { migrateUp } from './migrator.js'
import { SqlKeysStore } from './keys.sql.js'

/** The same connection pool seen as another network: what a second tenant's requests would use. */
function asNetwork (database: SqlDatabase, networkId: string): Database {
  return { db: database.db, dialect: database.dialect, networkId, ping: async () => { await database.ping() }, close: async () => {} }
}

for (const entry of testDialects()) {
  describe(`hydra_jwk on ${entry.dialect}`, () => {
    after(async () => { await entry.dropFreshDatabases() })

    describeKeysStore(entry.dialect, async () => {
      const dsn = await entry.createFreshDsn()
      const main = openDatabase(dsn)
      await main.connect({ resolveNetwork: false, giveUpAfterMs: 10_000 })
      await migrateUp(main)
      await main.resolveNetwork()
      // Separate pools on the same database and network, like other processes. Not for SQLite: better-sqlite3 is
      // synchronous, so a second handle in this process blocks the whole thread while waiting for the first
      // handle's write lock. SQLite's cross-process race is covered by keys/concurrent-start.test.ts.
      const others = entry.dialect === 'sqlite' ? [] : [openDatabase(dsn), openDatabase(dsn)]
      for (const other of others) await other.connect()
      const otherNetworkId = randomUUID()
      // Younger than the main network, so the handles above keep resolving to the main one (the oldest wins).
      const later = new Date(Date.now() + 86_400_000)
      await main.db.insertInto('networks').values({ id: otherNetworkId, created_at: later, updated_at: later }).execute()
      return {
        store: new SqlKeysStore(main),
        racers: others.map((other) => new SqlKeysStore(other)),
        otherNetwork: new SqlKeysStore(asNetwork(main, otherNetworkId)),
        close: async () => {
          for (const other of others) await other.close()
          await main.close()
        }
      }
    })
  })
}
