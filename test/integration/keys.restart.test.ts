// Whole-server restarts (startWarden) on one database: secrets rotation a → b,a, and refusal with a wrong secret.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { Configuration, JwkApi } from '@ory/hydra-client'
import { startWarden, type RunningWarden } from '../../src/app/warden.js'
import { keyAssociatedData } from '../../src/keys/keys.service.js'
import { Sealer } from '../../src/keys/sealing.js'
import { openDatabase } from '../../src/persistence/sql/db.js'
import { SqlKeysStore } from '../../src/persistence/sql/keys.sql.js'
import { testDialects } from '../support/databases.js'
import { captureLogger, testConfig } from '../support/start-servers.js'

const A = 'aaaaaaaaaaaaaaaa-first-secret'
const B = 'bbbbbbbbbbbbbbbb-second-secret'

async function start (dsn: string, secrets: string[]): Promise<RunningWarden & { jwk: JwkApi }> {
  const config = testConfig({ dsn, secrets: { system: secrets }, urls: { self: { issuer: 'https://restart.example/' } } })
  const { logger } = captureLogger(config, 'error')
  const running = await startWarden({
    config,
    logger,
    which: 'admin',
    forceHttp: true,
    isCollectingProcessMetrics: false,
    isMigratingAutomatically: true,
    container: { keyGeneration: { rsaModulusBits: 2048 } }
  })
  return Object.assign(running, { jwk: new JwkApi(new Configuration({ basePath: (running.adminUrl ?? '').replace(/\/$/, '') })) })
}

describe('restarting with rotated secrets.system', () => {
  const sqlite = testDialects()[0]!
  after(async () => { await sqlite.dropFreshDatabases() })

  test('a → b,a keeps keys readable and seals new ones with b; an unrelated secret refuses to start', async () => {
    const dsn = await sqlite.createFreshDsn()

    const first = await start(dsn, [A])
    const created = (await first.jwk.createJsonWebKeySet({ set: 'app', createJsonWebKeySet: { alg: 'ES256', kid: 'under-a', use: 'sig' } })).data
    await first.close()

    const second = await start(dsn, [B, A])
    try {
      assert.deepEqual((await second.jwk.getJsonWebKey({ set: 'app', kid: 'under-a' })).data, created)
      await second.jwk.createJsonWebKeySet({ set: 'app', createJsonWebKeySet: { alg: 'ES256', kid: 'under-b', use: 'sig' } })
    } finally {
      await second.close()
    }

    const database = openDatabase(dsn)
    try {
      await database.connect()
      const store = new SqlKeysStore(database)
      const sealer = new Sealer([B, A])
      const sealedWithB = async (set: string, kid: string): Promise<boolean> =>
        sealer.isSealedWithCurrent((await store.find(set, kid))?.sealed ?? '', keyAssociatedData(set, kid))
      assert.equal(await sealedWithB('app', 'under-b'), true)
      assert.equal(await sealedWithB('app', 'under-a'), false)
      assert.equal(await sealedWithB('hydra.openid.id-token', (await store.listSet('hydra.openid.id-token'))[0]?.kid ?? ''), false, 'generated at the first start, under a')

      const before = await store.listAll()
      await assert.rejects(start(dsn, ['cccccccccccccccc-unrelated']), (error: unknown) => {
        assert.match((error as Error).message, /JSON Web Key \S+ of set \S+ cannot be decrypted with any of the configured secrets\.system values/)
        return true
      })
      assert.deepEqual(await store.listAll(), before, 'nothing was overwritten or regenerated')
    } finally {
      await database.close()
    }
  })
})
