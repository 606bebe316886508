// Every shipped migration, up and down and up again on every dialect, with a fixture row checked at each step.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { testDialects } from '../support/databases.js'
import { openDatabase } from '../../src/persistence/sql/db.js'
import { MIGRATION_TABLE, migrateDown, migrateUp, migrationStatus } from '../../src/persistence/sql/migrator.js'

const CORE_VERSION = '20261129000001'

for (const entry of testDialects()) {
  describe(`shipped migrations on ${entry.dialect}`, () => {
    after(() => entry.dropFreshDatabases())

    test('up, idempotent up, down to core and up again, all the way down, up again', async () => {
      const database = openDatabase(await entry.createFreshDsn())
      try {
        await database.connect({ resolveNetwork: false, giveUpAfterMs: 10_000 })
        const versions = (await migrationStatus(database)).map((m) => m.version)
        assert.equal(versions[0], CORE_VERSION, 'the core migration comes first')

        assert.deepEqual((await migrateUp(database)).map((m) => m.version), versions)
        assert.deepEqual(await migrateUp(database), [])
        assert.ok((await migrationStatus(database)).every((m) => m.applied))

        // Fixture: the network row (core) must survive the later migrations going down and up.
        const networkId = await database.resolveNetwork()
        const later = versions.length - 1
        if (later > 0) {
          assert.equal((await migrateDown(database, later)).length, later)
          assert.deepEqual((await migrationStatus(database)).filter((m) => m.applied).map((m) => m.version), [CORE_VERSION])
          assert.equal((await migrateUp(database)).length, later)
        }
        assert.equal(await database.resolveNetwork(), networkId)

        assert.equal((await migrateDown(database, versions.length)).length, versions.length)
        const tables = (await database.db.introspection.getTables()).map((t) => t.name)
        assert.deepEqual(tables, [MIGRATION_TABLE], 'every down file drops what its up file created')
        assert.ok((await migrationStatus(database)).every((m) => !m.applied))

        assert.equal((await migrateUp(database)).length, versions.length)
      } finally {
        await database.close()
      }
    })
  })
}
