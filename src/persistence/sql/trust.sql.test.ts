// Runs the TrustStore contract on every dialect, plus the cascade from the issuer's key in hydra_jwk.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { describeTrustStore, sampleTrust } from '../../trust/trust.store.contract.js'
import { openMigratedTestDatabase, testDialects } from '../../../test/support/databases.js'
import type { SqlDatabase } from './db.js'
import { SqlKeysStore } from './keys.sql.js'
import { SqlTrustStore } from './trust.sql.js'

for (const entry of testDialects()) {
  describe(`SqlTrustStore on ${entry.dialect}`, () => {
    let database: SqlDatabase
    before(async () => { database = await openMigratedTestDatabase(entry) })
    after(async () => {
      await database?.close()
      await entry.dropFreshDatabases()
    })
    const makeContext = async () => {
      const keys = new SqlKeysStore(database)
      return {
        store: new SqlTrustStore(database),
        addKey: async (set: string, kid: string) => { await keys.insert([{ set, kid, sealed: 'sealed', createdAt: new Date() }]) }
      }
    }
    describeTrustStore(makeContext)

    test('a relationship goes with its key (hydra_jwk ON DELETE CASCADE), and cannot reference a missing key', async () => {
      const { store, addKey } = await makeContext()
      const grant = sampleTrust()
      await addKey(grant.keySet, grant.keyId)
      await store.insert(grant)
      await new SqlKeysStore(database).deleteKey(grant.keySet, grant.keyId)
      assert.equal(await store.find(grant.id), undefined)
      await assert.rejects(store.insert(sampleTrust()))
    })
  })
}
