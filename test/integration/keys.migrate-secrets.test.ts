// `warden migrate secrets`: after prepending a new system secret, re-seals every key so the old secret can go.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { Command } from 'commander'
import { registerMigrateSecretsCommand } from '../../src/cli/commands/migrate-secrets.js'
import { systemClock } from '../../src/lib/clock.js'
import { KeysService, keyAssociatedData } from '../../src/keys/keys.service.js'
import { Sealer } from '../../src/keys/sealing.js'
import { SqlKeysStore } from '../../src/persistence/sql/keys.sql.js'
import { openDatabase } from '../../src/persistence/sql/db.js'
import { migrateUp } from '../../src/persistence/sql/migrator.js'
import { testDialects } from '../support/databases.js'

const OLD = 'the-old-system-secret-0123456789'
const NEW = 'the-new-system-secret-9876543210'

async function warden (args: string[], env: Record<string, string>): Promise<string> {
  let stdout = ''
  const program = new Command('warden').exitOverride()
  registerMigrateSecretsCommand(program, { stdout: { write: (text: string) => { stdout += text } }, stderr: { write: () => {} }, env })
  await program.parseAsync(args, { from: 'user' })
  return stdout
}

describe('warden migrate secrets', () => {
  const sqlite = testDialects()[0]!
  after(async () => { await sqlite.dropFreshDatabases() })

  test('re-seals keys sealed under an older secret with the first one', async () => {
    const dsn = await sqlite.createFreshDsn()
    const database = openDatabase(dsn)
    try {
      await database.connect({ resolveNetwork: false })
      await migrateUp(database)
      await database.resolveNetwork()
      const store = new SqlKeysStore(database)
      const before = new KeysService({ store, secretsSystem: [OLD], clock: systemClock })
      await before.createKey('one', { alg: 'ES256', kid: 'a' })
      await before.createKey('two', { alg: 'EdDSA', kid: 'b' })

      const output = await warden(['migrate', 'secrets', dsn], { SECRETS_SYSTEM: `${NEW},${OLD}` })
      assert.match(output, /Re-encrypted 2 of 2 JSON Web Key\(s\)/)
      const onlyNew = new Sealer([NEW])
      for (const row of await store.listAll()) assert.equal(onlyNew.isSealedWithCurrent(row.sealed, keyAssociatedData(row.set, row.kid)), true)
      const after = new KeysService({ store, secretsSystem: [NEW], clock: systemClock })
      assert.equal((await after.getKey('one', 'a'))[0]?.kid, 'a')

      assert.match(await warden(['migrate', 'secrets'], { SECRETS_SYSTEM: NEW, DSN: dsn }), /Re-encrypted 0 of 2 JSON Web Key\(s\).*\(2 already were\)/)
      await assert.rejects(warden(['migrate', 'secrets', dsn], { SECRETS_SYSTEM: 'an-unrelated-secret-0123456789' }), /cannot be decrypted with any of the configured secrets\.system/)
      await assert.rejects(warden(['migrate', 'secrets'], { SECRETS_SYSTEM: NEW }), /no database given/)
    } finally {
      await database.close()
    }
  })
})
