// Runs the ClientsStore contract on every dialect of the test matrix (SQLite always; PostgreSQL/MySQL when configured),
// and checks that tables of later migrations can hang off hydra_client with ON DELETE CASCADE.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { describeClientsStore, sampleClient } from '../../clients/clients.store.contract.js'
import { openMigratedTestDatabase, testDialects } from '../../../test/support/databases.js'
import { SqlClientsStore } from './clients.sql.js'
import type { SqlDatabase } from './db.js'

for (const entry of testDialects()) {
  describe(`SqlClientsStore on ${entry.dialect}`, () => {
    let database: SqlDatabase
    before(async () => { database = await openMigratedTestDatabase(entry) })
    after(async () => {
      await database?.close()
      await entry.dropFreshDatabases()
    })
    describeClientsStore(() => new SqlClientsStore(database))

    test('a row referencing (client_id, nid) goes away with its client', async () => {
      const suffix = entry.dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4' : ''
      await sql.raw(`CREATE TABLE test_client_child (id VARCHAR(36) NOT NULL PRIMARY KEY, client_id VARCHAR(255) NOT NULL, nid VARCHAR(36) NOT NULL,
        FOREIGN KEY (client_id, nid) REFERENCES hydra_client (id, nid) ON DELETE CASCADE)${suffix}`).execute(database.db)
      const store = new SqlClientsStore(database)
      const client = sampleClient()
      await store.insertClient(client)
      await sql`INSERT INTO test_client_child (id, client_id, nid) VALUES ('child-1', ${client.id}, ${database.networkId})`.execute(database.db)
      assert.equal(await store.deleteClient(client.id), true)
      const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM test_client_child`.execute(database.db)
      assert.equal(Number(rows[0]?.n), 0)
      await sql.raw('DROP TABLE test_client_child').execute(database.db)
    })
  })
}
