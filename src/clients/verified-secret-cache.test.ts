// Verified-secret cache: a wrong secret never passes, rotation/update/delete invalidate, the LRU bound holds.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { openMigratedTestDatabase, testDialects } from '../../test/support/databases.js'
import { testConfig } from '../../test/support/start-servers.js'
import { ManualClock } from '../lib/clock.js'
import { SqlClientsStore } from '../persistence/sql/clients.sql.js'
import type { SqlDatabase } from '../persistence/sql/db.js'
import { emptyDraft, type ClientDraft } from './client.js'
import { ClientsService } from './clients.service.js'
import { buildClientsService } from './clients.wiring.js'
import type { SecretHasher } from './secret-hasher.js'
import { createSecretHasher } from './secret-hasher.js'
import { VerifiedSecretCache } from './verified-secret-cache.js'

const draft = (fields: Partial<ClientDraft>): ClientDraft => ({ ...emptyDraft(), grantTypes: ['client_credentials'], ...fields })

/** A hasher (cheap PBKDF2) that counts slow verifications. */
function countingHasher (): SecretHasher & { verifications: number } {
  const inner = createSecretHasher({ algorithm: 'pbkdf2', pbkdf2: { iterations: 1000 }, bcrypt: { cost: 4 } })
  const counting = {
    verifications: 0,
    hash: async (secret: string) => await inner.hash(secret),
    verify: async (secret: string, encoded: string) => { counting.verifications++; return await inner.verify(secret, encoded) }
  }
  return counting
}

describe('VerifiedSecretCache (unit)', () => {
  const stored = { clientId: 'c1', hashes: ['$h1', '$h0'] }

  test('only successes are remembered; a remembered success skips the slow check', async () => {
    const cache = new VerifiedSecretCache()
    let slow = 0
    assert.equal(await cache.verify(stored, 'wrong', async () => { slow++; return false }), false)
    assert.equal(await cache.verify(stored, 'wrong', async () => { slow++; return false }), false)
    assert.equal(slow, 2, 'failures are checked every time')
    assert.equal(cache.size, 0)
    assert.equal(await cache.verify(stored, 'right', async () => { slow++; return true }), true)
    assert.equal(await cache.verify(stored, 'right', async () => { slow++; return false }), true)
    assert.equal(slow, 3)
    assert.equal(cache.entriesOf('c1'), 1)
  })

  test('the key covers client id, every stored hash and the secret', () => {
    const cache = new VerifiedSecretCache()
    const base = cache.digest(stored, 'right')
    assert.notEqual(cache.digest({ ...stored, clientId: 'c2' }, 'right'), base)
    assert.notEqual(cache.digest({ ...stored, hashes: ['$h1'] }, 'right'), base)
    assert.notEqual(cache.digest({ ...stored, hashes: ['$h2', '$h1'] }, 'right'), base)
    assert.notEqual(cache.digest(stored, 'right '), base)
    // Field boundaries are length-prefixed: moving characters between fields changes the key.
    assert.notEqual(cache.digest({ clientId: 'ab', hashes: ['c'] }, 'd'), cache.digest({ clientId: 'a', hashes: ['bc'] }, 'd'))
    // A different process key gives different digests.
    assert.notEqual(new VerifiedSecretCache().digest(stored, 'right'), base)
  })

  test('concurrent identical checks share one slow verification', async () => {
    const cache = new VerifiedSecretCache()
    let slow = 0
    let release: (value: boolean) => void = () => {}
    const gate = new Promise<boolean>((resolve) => { release = resolve })
    const checks = Array.from({ length: 20 }, async () => await cache.verify(stored, 'right', async () => { slow++; return await gate }))
    release(true)
    assert.deepEqual(await Promise.all(checks), Array(20).fill(true))
    assert.equal(slow, 1)
  })

  test('an invalidation during a slow check keeps its result out of the cache', async () => {
    const cache = new VerifiedSecretCache()
    let release: (value: boolean) => void = () => {}
    const pending = cache.verify(stored, 'right', async () => await new Promise<boolean>((resolve) => { release = resolve }))
    cache.forgetClient('c1')
    release(true)
    assert.equal(await pending, true)
    assert.equal(cache.size, 0)
  })

  test('the LRU bound holds and evicts the least recently used entry', async () => {
    const cache = new VerifiedSecretCache({ maxEntries: 3 })
    const ok = async (): Promise<boolean> => true
    for (const id of ['a', 'b', 'c']) await cache.verify({ clientId: id, hashes: ['$h'] }, 's', ok)
    await cache.verify({ clientId: 'a', hashes: ['$h'] }, 's', async () => { throw new Error('must be a hit') })
    await cache.verify({ clientId: 'd', hashes: ['$h'] }, 's', ok)
    assert.equal(cache.size, 3)
    assert.equal(cache.entriesOf('b'), 0, 'b was the least recently used')
    assert.equal(cache.entriesOf('a'), 1)
    for (let i = 0; i < 100; i++) await cache.verify({ clientId: `x${i}`, hashes: ['$h'] }, 's', ok)
    assert.equal(cache.size, 3)
  })
})

describe('ClientsService with the verified-secret cache', () => {
  const entry = testDialects()[0]!
  let database: SqlDatabase
  let hasher: ReturnType<typeof countingHasher>
  let cache: VerifiedSecretCache
  let service: ClientsService

  before(async () => {
    database = await openMigratedTestDatabase(entry)
    const config = testConfig({ secrets: { system: ['cache-test-secret-of-32-characters'] } })
    const base = buildClientsService(config, { store: new SqlClientsStore(database), clock: new ManualClock(new Date('2026-11-29T12:00:00Z')) })
    hasher = countingHasher()
    cache = new VerifiedSecretCache()
    // Same wiring as production, with a counting hasher and a cache the test can inspect.
    service = new ClientsService({ ...(base as unknown as { deps: ConstructorParameters<typeof ClientsService>[0] }).deps, hasher, verifiedSecrets: cache })
  })
  after(async () => {
    await database?.close()
    await entry.dropFreshDatabases()
  })

  test('production wiring installs a cache', () => {
    const wired = buildClientsService(testConfig({ secrets: { system: ['cache-test-secret-of-32-characters'] } }), { store: new SqlClientsStore(database), clock: new ManualClock(new Date()) })
    assert.ok((wired as unknown as { deps: { verifiedSecrets?: unknown } }).deps.verifiedSecrets instanceof VerifiedSecretCache)
  })

  test('after a success with secret A, secret B still fails (and B is never remembered)', async () => {
    const { client } = await service.createOAuth2Client(draft({ secret: 'secret-A-secret-A' }))
    const before = hasher.verifications
    assert.equal(await service.verifySecret(client, 'secret-A-secret-A'), true)
    assert.equal(await service.verifySecret(client, 'secret-A-secret-A'), true)
    assert.equal(hasher.verifications - before, 1, 'the second check of A is served from the cache')
    assert.equal(await service.verifySecret(client, 'secret-B-secret-B'), false)
    assert.equal(await service.verifySecret(client, 'secret-B-secret-B'), false)
    assert.equal(await service.verifySecret(client, 'secret-A-secret-'), false)
    assert.equal(cache.entriesOf(client.id), 1)
  })

  test('setting a new secret: A fails, the new secret works', async () => {
    const { client } = await service.createOAuth2Client(draft({ secret: 'secret-A-secret-A' }))
    assert.equal(await service.verifySecret(client, 'secret-A-secret-A'), true)
    const { client: updated } = await service.setOAuth2Client(client.id, draft({ secret: 'secret-C-secret-C' }))
    assert.equal(cache.entriesOf(client.id), 0, 'the update dropped the entry')
    const reloaded = await service.getOAuth2Client(client.id)
    assert.equal(await service.verifySecret(reloaded, 'secret-A-secret-A'), false)
    assert.equal(await service.verifySecret(reloaded, 'secret-C-secret-C'), true)
    assert.equal(updated.rotatedSecretHashes.length, 0, 'a new secret clears rotated ones (Hydra)')
    assert.equal(cache.entriesOf(client.id), 1, 'only the new secret is remembered')
  })

  test('rotation: the rotated-out secret keeps working (Hydra), until rotated secrets are deleted', async () => {
    const { client, secret } = await service.createOAuth2Client(draft({ secret: '' }))
    assert.equal(await service.verifySecret(client, secret as string), true)
    const rotated = await service.rotateOAuth2ClientSecret(client.id)
    assert.equal(cache.entriesOf(client.id), 0, 'rotation dropped the entry')
    const afterRotation = await service.getOAuth2Client(client.id)
    assert.equal(await service.verifySecret(afterRotation, rotated.secret as string), true)
    assert.equal(await service.verifySecret(afterRotation, secret as string), true, 'a rotated secret still authenticates')
    await service.deleteRotatedOAuth2ClientSecrets(client.id)
    assert.equal(cache.entriesOf(client.id), 0)
    const pruned = await service.getOAuth2Client(client.id)
    assert.equal(await service.verifySecret(pruned, secret as string), false, 'the old secret fails once rotated secrets are deleted')
    assert.equal(await service.verifySecret(pruned, rotated.secret as string), true)
  })

  test('any update (patch, lifespans) and delete drop the client\'s entries', async () => {
    const { client } = await service.createOAuth2Client(draft({ secret: 'secret-A-secret-A' }))
    const check = async (): Promise<void> => {
      assert.equal(await service.verifySecret(await service.getOAuth2Client(client.id), 'secret-A-secret-A'), true)
      assert.equal(cache.entriesOf(client.id), 1)
    }
    await check()
    await service.patchOAuth2Client(client.id, [{ op: 'replace', path: '/client_name', value: 'renamed' }])
    assert.equal(cache.entriesOf(client.id), 0)
    await check()
    await service.setOAuth2ClientLifespans(client.id, (await service.getOAuth2Client(client.id)).lifespansMs)
    assert.equal(cache.entriesOf(client.id), 0)
    await check()
    await service.deleteOAuth2Client(client.id)
    assert.equal(cache.entriesOf(client.id), 0)
  })

  test('a client deleted and re-created with the same id and secret is verified afresh', async () => {
    const { client } = await service.createOAuth2Client(draft({ secret: 'secret-A-secret-A' }))
    assert.equal(await service.verifySecret(client, 'secret-A-secret-A'), true)
    await service.deleteOAuth2Client(client.id)
    const { client: again } = await service.createOAuth2Client(draft({ id: client.id, secret: 'secret-A-secret-A' }))
    const before = hasher.verifications
    assert.equal(await service.verifySecret(again, 'secret-A-secret-A'), true)
    assert.equal(hasher.verifications - before, 1)
  })

  test('without a client id the cache is bypassed', async () => {
    const { client } = await service.createOAuth2Client(draft({ secret: 'secret-A-secret-A' }))
    const before = hasher.verifications
    const { id: _id, ...anonymous } = client
    assert.equal(await service.verifySecret(anonymous, 'secret-A-secret-A'), true)
    assert.equal(await service.verifySecret(anonymous, 'secret-A-secret-A'), true)
    assert.equal(hasher.verifications - before, 2)
  })
})
