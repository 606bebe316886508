// `warden janitor` on every dialect: expired token rows go in bounded batches (--tokens), expired trust relationships go
// (--grants), live rows stay, flags are checked.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { sampleClient } from '../../src/clients/clients.store.contract.js'
import { runJanitor } from '../../src/cli/commands/janitor.js'
import { openDatabase } from '../../src/persistence/sql/db.js'
import { migrateUp } from '../../src/persistence/sql/migrator.js'
import { SqlClientsStore } from '../../src/persistence/sql/clients.sql.js'
import { SqlKeysStore } from '../../src/persistence/sql/keys.sql.js'
import { SqlTokensStore } from '../../src/persistence/sql/tokens.sql.js'
import { SqlTrustStore } from '../../src/persistence/sql/trust.sql.js'
import { sampleRefresh, sampleToken } from '../../src/tokens/tokens.store.contract.js'
import { sampleTrust } from '../../src/trust/trust.store.contract.js'
import { testDialects } from '../support/databases.js'

const NOW = new Date(Date.UTC(2026, 10, 29, 12, 0, 0))

for (const entry of testDialects()) {
  describe(`warden janitor on ${entry.dialect}`, () => {
    after(async () => { await entry.dropFreshDatabases() })

    /** A fresh migrated database, open, and its DSN for runJanitor. */
    async function migratedDatabase (): Promise<{ dsn: string, database: ReturnType<typeof openDatabase> }> {
      const dsn = await entry.createFreshDsn()
      const database = openDatabase(dsn)
      await database.connect({ resolveNetwork: false })
      await migrateUp(database)
      await database.resolveNetwork()
      return { dsn, database }
    }

    test('deletes expired tokens (respecting --keep-if-younger and --limit) and keeps live ones', async () => {
      const { dsn, database } = await migratedDatabase()
      const store = new SqlTokensStore(database)
      const client = sampleClient()
      await new SqlClientsStore(database).insertClient(client)
      const hoursAgo = (h: number): Date => new Date(NOW.getTime() - h * 3_600_000)
      const old = Array.from({ length: 7 }, () => sampleToken(client.id, { expiresAt: hoursAgo(48) }))
      const recent = sampleToken(client.id, { expiresAt: hoursAgo(1) })
      const live = sampleToken(client.id, { expiresAt: new Date(NOW.getTime() + 3_600_000) })
      for (const record of [...old, recent, live]) await store.insertAccess(record)
      const oldRefresh = sampleRefresh(client.id, { expiresAt: hoursAgo(48) })
      await store.insertRefresh(oldRefresh)
      await store.insertCode(sampleToken(client.id, { expiresAt: hoursAgo(48) }))
      await database.close()

      const lines: string[] = []
      const io = { stdout: { write: (text: string) => lines.push(text) }, env: {}, now: () => NOW }
      await runJanitor(dsn, { tokens: true, keepIfYounger: '24h', limit: '5', batchSize: '2' }, io)
      assert.match(lines.join(''), /Deleted 5 access token\(s\), 1 refresh token\(s\) and 1 authorization code\(s\)/)
      await runJanitor(dsn, { tokens: true, keepIfYounger: '24h' }, io)
      assert.match(lines.at(-1) ?? '', /Deleted 2 access token\(s\), 0 refresh/)

      const check = openDatabase(dsn)
      await check.connect()
      const after = new SqlTokensStore(check)
      for (const record of old) assert.equal(await after.findAccess(record.signature), undefined)
      assert.ok(await after.findAccess(recent.signature) !== undefined, 'expired less than 24h ago: kept')
      assert.ok(await after.findAccess(live.signature) !== undefined)
      await check.close()
    })

    test('--grants deletes trust relationships that expired before now − --keep-if-younger; keys and live ones stay', async () => {
      const { dsn, database } = await migratedDatabase()
      const hoursFromNow = (h: number): Date => new Date(NOW.getTime() + h * 3_600_000)
      const issuer = 'https://idp.janitor.example'
      await new SqlKeysStore(database).insert([{ set: issuer, kid: 'k1', sealed: 'sealed', createdAt: NOW }])
      const trust = new SqlTrustStore(database)
      const [old, recent, live] = [hoursFromNow(-48), hoursFromNow(-1), hoursFromNow(1)].map((expiresAt, i) =>
        sampleTrust({ issuer, keySet: issuer, keyId: 'k1', subject: `subject-${i}`, createdAt: hoursFromNow(-72), expiresAt }))
      for (const grant of [old, recent, live]) if (grant !== undefined) await trust.insert(grant)
      await database.close()

      const lines: string[] = []
      const io = { stdout: { write: (text: string) => lines.push(text) }, env: {}, now: () => NOW }
      await runJanitor(dsn, { grants: true, keepIfYounger: '24h' }, io)
      assert.deepEqual(lines, [`Deleted 1 JWT-bearer trust relationship(s) that expired before ${hoursFromNow(-24).toISOString()}.\n`])
      await runJanitor(dsn, { grants: true }, io)
      assert.equal(lines.at(-1), `Deleted 1 JWT-bearer trust relationship(s) that expired before ${NOW.toISOString()}.\n`)

      const check = openDatabase(dsn)
      await check.connect()
      const after = new SqlTrustStore(check)
      assert.equal(await after.find(old?.id ?? ''), undefined)
      assert.equal(await after.find(recent?.id ?? ''), undefined)
      assert.deepEqual(await after.find(live?.id ?? ''), live)
      assert.ok(await new SqlKeysStore(check).find(issuer, 'k1') !== undefined, 'the issuer key stays, as in Hydra')
      await check.close()
    })

    test('flag validation', async () => {
      const io = { stdout: { write: () => true }, env: {} }
      await assert.rejects(runJanitor('sqlite://x', {}, io), /at least one of --tokens/)
      await assert.rejects(runJanitor('sqlite://x', { tokens: true, limit: '10', batchSize: '20' }, io), /--batch-size/)
      await assert.rejects(runJanitor('sqlite://x', { tokens: true, keepIfYounger: 'soon' }, io), /--keep-if-younger/)
      await assert.rejects(runJanitor(undefined, { tokens: true }, io), /no database given/)
    })
  })
}
