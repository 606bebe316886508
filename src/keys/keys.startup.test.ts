// First-start generation, secret rotation, refusal to start with the wrong secret, and the published JWKS.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ManualClock } from '../lib/clock.js'
import { openMigratedTestDatabase, testDialects } from '../../test/support/databases.js'
import type { SqlDatabase } from '../persistence/sql/db.js'
import { SqlKeysStore } from '../persistence/sql/keys.sql.js'
import { Sealer, SecretMismatchError } from './sealing.js'
import { ACCESS_TOKEN_SET, ID_TOKEN_SET, KeysService, SystemSecretMissingError, keyAssociatedData } from './keys.service.js'
import type { KeysServiceDeps } from './keys.service.js'
import { PRIVATE_MEMBERS } from './jwk.js'
import type { Jwk } from './jwk.js'

const SECRET_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const SECRET_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
const sqlite = testDialects()[0]!

async function withDatabase (work: (store: SqlKeysStore, database: SqlDatabase) => Promise<void>): Promise<void> {
  const database = await openMigratedTestDatabase(sqlite)
  try {
    await work(new SqlKeysStore(database), database)
  } finally {
    await database.close()
  }
}

function serviceOn (store: SqlKeysStore, overrides: Partial<KeysServiceDeps> = {}): KeysService {
  return new KeysService({ store, secretsSystem: [SECRET_A], clock: new ManualClock(new Date('2026-11-29T12:00:00Z')), generation: { rsaModulusBits: 2048 }, ...overrides })
}

describe('KeysService at startup', () => {
  after(async () => { await sqlite.dropFreshDatabases() })

  test('creates both default sets once, RS256, even when several instances start together', async () => {
    await withDatabase(async (store) => {
      const instances = [serviceOn(store), serviceOn(store)]
      await Promise.all(instances.map(async (keys) => { await keys.ensureDefaultKeySets() }))
      await instances[0]!.ensureDefaultKeySets()
      for (const set of [ID_TOKEN_SET, ACCESS_TOKEN_SET]) {
        const keys = await instances[1]!.getKeySet(set)
        assert.equal(keys.length, 1, `one key in ${set}`)
        assert.equal(keys[0]?.alg, 'RS256')
        assert.equal(keys[0]?.kty, 'RSA')
        assert.equal(keys[0]?.use, 'sig')
      }
      assert.equal((await store.listAll()).length, 2)
    })
  })

  test('rotation: keys sealed under a stay readable after b,a; new keys are sealed under b; reseal moves the rest', async () => {
    await withDatabase(async (store) => {
      const before = serviceOn(store, { secretsSystem: [SECRET_A] })
      await before.ensureDefaultKeySets()
      const [old] = await before.createKey('custom', { alg: 'ES256', kid: 'old' })

      const rotated = serviceOn(store, { secretsSystem: [SECRET_B, SECRET_A] })
      await rotated.ensureDefaultKeySets()
      assert.deepEqual(await rotated.getKey('custom', 'old'), [old])
      await rotated.createKey('custom', { alg: 'ES256', kid: 'new' })

      const sealer = new Sealer([SECRET_B, SECRET_A])
      const isCurrent = async (set: string, kid: string): Promise<boolean> => {
        const row = await store.find(set, kid)
        assert.ok(row)
        return sealer.isSealedWithCurrent(row.sealed, keyAssociatedData(set, kid))
      }
      assert.equal(await isCurrent('custom', 'new'), true)
      assert.equal(await isCurrent('custom', 'old'), false)

      assert.deepEqual(await rotated.resealKeys(), { total: 4, resealed: 3 })
      assert.deepEqual(await rotated.resealKeys(), { total: 4, resealed: 0 })
      for (const row of await store.listAll()) assert.equal(await isCurrent(row.set, row.kid), true)
      const onlyB = serviceOn(store, { secretsSystem: [SECRET_B] })
      await onlyB.ensureDefaultKeySets()
      assert.deepEqual(await onlyB.getKey('custom', 'old'), [old])
    })
  })

  test('refuses to start when secrets.system cannot open stored keys, and changes nothing', async () => {
    await withDatabase(async (store) => {
      await serviceOn(store).ensureDefaultKeySets()
      const rowsBefore = await store.listAll()
      await assert.rejects(serviceOn(store, { secretsSystem: [SECRET_B] }).ensureDefaultKeySets(), (error: unknown) => {
        assert.ok(error instanceof SecretMismatchError)
        assert.match(error.message, /of set hydra\.(openid\.id-token|jwt\.access-token)/)
        assert.match(error.message, /secrets\.system/)
        return true
      })
      await assert.rejects(serviceOn(store, { secretsSystem: [] }).ensureDefaultKeySets(), (error: unknown) => {
        assert.ok(error instanceof SystemSecretMissingError)
        assert.match(error.message, /secrets\.system is not configured/)
        assert.match(error.message, /set hydra\./)
        return true
      })
      assert.deepEqual(await store.listAll(), rowsBefore)
    })
  })

  test('an empty database with no secret cannot seal new keys', async () => {
    await withDatabase(async (store) => {
      await assert.rejects(serviceOn(store, { secretsSystem: [] }).ensureDefaultKeySets(), SystemSecretMissingError)
      assert.deepEqual(await store.listAll(), [])
    })
  })
})

describe('the published JWKS', () => {
  after(async () => { await sqlite.dropFreshDatabases() })

  const parse = (body: Buffer): { keys: Jwk[] } => JSON.parse(body.toString('utf8')) as { keys: Jwk[] }

  test('holds only public parts of the default and broadcast sets, old keys included', async () => {
    await withDatabase(async (store) => {
      const keys = serviceOn(store, { broadcastSets: [ID_TOKEN_SET, 'extra'] })
      await keys.ensureDefaultKeySets()
      await keys.createKey('extra', { alg: 'ES256', kid: 'extra-1' })
      await keys.createKey(ID_TOKEN_SET, { alg: 'EdDSA', kid: 'id-2' })
      await keys.setKey('extra', 'hmac', { kty: 'oct', kid: 'hmac', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0', alg: 'HS256' })
      await keys.createKey('not-published', { alg: 'ES256', kid: 'hidden' })

      const published = parse((await keys.publicJwksDocument()).body).keys
      const idTokenKids = (await keys.getKeySet(ID_TOKEN_SET)).map((k) => k.kid)
      const accessKids = (await keys.getKeySet(ACCESS_TOKEN_SET)).map((k) => k.kid)
      assert.deepEqual(published.map((k) => k.kid), [...idTokenKids, 'extra-1', ...accessKids])
      assert.equal(idTokenKids[0], 'id-2')
      for (const key of published) {
        for (const member of PRIVATE_MEMBERS) assert.equal(member in key, false, `${member} leaked in ${key.kid}`)
        assert.ok(key.kty === 'RSA' ? key.n !== undefined && key.e !== undefined : key.x !== undefined)
      }
    })
  })

  test('generates a missing published set on demand, and the ETag follows changes', async () => {
    await withDatabase(async (store) => {
      const keys = serviceOn(store)
      const first = await keys.publicJwksDocument()
      assert.equal(parse(first.body).keys.length, 2, 'both default sets generated on first request')
      // The request that generated the sets does not cache its answer (the generation invalidated it); the next does.
      const cached = await keys.publicJwksDocument()
      assert.equal(cached.etag, first.etag)
      assert.equal(await keys.publicJwksDocument(), cached, 'served from cache')
      await keys.createKey(ACCESS_TOKEN_SET, { alg: 'ES256', kid: 'newer' })
      const second = await keys.publicJwksDocument()
      assert.notEqual(second.etag, first.etag)
      assert.equal(parse(second.body).keys.length, 3)
    })
  })

  test('a change made by another replica shows once the cache lifetime has passed', async () => {
    await withDatabase(async (store) => {
      const clock = new ManualClock(new Date('2026-11-29T12:00:00Z'))
      const replicaA = serviceOn(store, { clock, cacheTtlMs: 5_000 })
      const replicaB = serviceOn(store, { clock, cacheTtlMs: 5_000 })
      await replicaA.ensureDefaultKeySets()
      const before = await replicaA.publicJwksDocument()
      const signerBefore = await replicaA.signingKey(ID_TOKEN_SET)
      const [rotated] = await replicaB.createKey(ID_TOKEN_SET, { alg: 'ES256', kid: 'rotated' })
      assert.equal(await replicaA.publicJwksDocument(), before)
      assert.equal((await replicaA.signingKey(ID_TOKEN_SET)).kid, signerBefore.kid)
      clock.advance(5_001)
      assert.notEqual((await replicaA.publicJwksDocument()).etag, before.etag)
      assert.equal((await replicaA.signingKey(ID_TOKEN_SET)).kid, rotated?.kid)
    })
  })
})
