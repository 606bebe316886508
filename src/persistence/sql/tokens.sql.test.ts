// Runs the TokensStore contract on every dialect, plus the cascades: client deletion and consent (flow) deletion.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { sampleClient } from '../../clients/clients.store.contract.js'
import { describeTokensStore, sampleToken } from '../../tokens/tokens.store.contract.js'
import { openMigratedTestDatabase, testDialects } from '../../../test/support/databases.js'
import { SqlClientsStore } from './clients.sql.js'
import type { SqlDatabase } from './db.js'
import { SqlTokensStore } from './tokens.sql.js'

for (const entry of testDialects()) {
  describe(`SqlTokensStore on ${entry.dialect}`, () => {
    let database: SqlDatabase
    before(async () => { database = await openMigratedTestDatabase(entry) })
    after(async () => {
      await database?.close()
      await entry.dropFreshDatabases()
    })
    const makeContext = async (): Promise<{ store: SqlTokensStore, clientId: string }> => {
      const client = sampleClient()
      await new SqlClientsStore(database).insertClient(client)
      return { store: new SqlTokensStore(database), clientId: client.id }
    }
    describeTokensStore(makeContext)

    test('tokens go with their client (ON DELETE CASCADE)', async () => {
      const { store, clientId } = await makeContext()
      const access = sampleToken(clientId)
      await store.insertAccess(access)
      await new SqlClientsStore(database).deleteClient(clientId)
      assert.equal(await store.findAccess(access.signature), undefined)
    })

    test('tokens go with their consent session (challenge_id → hydra_oauth2_flow)', async () => {
      const { store, clientId } = await makeContext()
      const challenge = 'c'.repeat(32)
      await sql`INSERT INTO hydra_oauth2_flow (login_challenge, nid, requested_scope, requested_at_audience, request_url, subject,
        oidc_context, client_id, requested_at, acr, amr, context, consent_challenge_id, granted_scope, granted_at_audience,
        session_access_token, session_id_token, state)
        VALUES (${'l'.repeat(32)}, ${database.networkId}, '[]', '[]', '', 'alice', '{}', ${clientId}, ${new Date()}, '', '[]', '{}',
        ${challenge}, '[]', '[]', '{}', '{}', 1)`.execute(database.db)
      const access = sampleToken(clientId, { challengeId: challenge })
      await store.insertAccess(access)
      await sql`DELETE FROM hydra_oauth2_flow WHERE consent_challenge_id = ${challenge}`.execute(database.db)
      assert.equal(await store.findAccess(access.signature), undefined)
    })
  })
}
