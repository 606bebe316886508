// KeysService on a real migrated SQLite database: admin operations, sealing, rotation, startup checks, publishing.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { isOAuth2Error } from '../errors/oauth2-error.js'
import { toWireBody } from '../errors/wire.js'
import { ManualClock } from '../lib/clock.js'
import { openMigratedTestDatabase, testDialects } from '../../test/support/databases.js'
import type { SqlDatabase } from '../persistence/sql/db.js'
import { SqlKeysStore } from '../persistence/sql/keys.sql.js'
import { Sealer, SecretMismatchError } from './sealing.js'
import { ACCESS_TOKEN_SET, ID_TOKEN_SET, KeysService, SystemSecretMissingError, keyAssociatedData } from './keys.service.js'
import type { KeysServiceDeps } from './keys.service.js'
import { GENERATION_ALGORITHMS } from './key-generation.js'
import { PRIVATE_MEMBERS } from './jwk.js'
import type { Jwk } from './jwk.js'
import { signJwt, verifyJwt } from './signing.js'

const SECRET_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const SECRET_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
const sqlite = testDialects()[0]!

function wire (error: unknown): { status: number, body: ReturnType<typeof toWireBody> } {
  assert.ok(isOAuth2Error(error), `expected an OAuth2Error, got ${String(error)}`)
  return { status: error.statusCode, body: toWireBody(error, { exposeDebug: false, legacy: false }) }
}

async function rejectsWith (promise: Promise<unknown>, status: number, check: (body: { error: string, error_description: string }) => void): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    const answer = wire(error)
    assert.equal(answer.status, status)
    check(answer.body)
    return true
  })
}

describe('KeysService', () => {
  let database: SqlDatabase
  let store: SqlKeysStore
  const clock = new ManualClock(new Date('2026-11-29T12:00:00Z'))
  const service = (overrides: Partial<KeysServiceDeps> = {}): KeysService => new KeysService({
    store, secretsSystem: [SECRET_A], clock, generation: { rsaModulusBits: 2048 }, ...overrides
  })

  before(async () => {
    database = await openMigratedTestDatabase(sqlite)
    store = new SqlKeysStore(database)
  })
  after(async () => {
    await database.close()
    await sqlite.dropFreshDatabases()
  })

  test('generates every supported algorithm; each key signs a JWT its published key verifies', async () => {
    const keys = service()
    for (const alg of GENERATION_ALGORITHMS) {
      const set = `gen.${alg}`
      const [created] = await keys.createKey(set, { alg })
      assert.ok(created)
      assert.equal(created.alg, alg)
      assert.equal(created.use, 'sig')
      assert.match(created.kid, /^[0-9a-f-]{36}$/)
      assert.ok(created.d !== undefined, 'the admin answer carries the private key')
      const signer = await keys.signingKey(set)
      assert.equal(signer.kid, created.kid)
      const token = signJwt(signer, { sub: 'alice', iss: 'https://issuer.example' })
      const published = await keys.publicKeys(set)
      const { payload, protectedHeader } = await verifyJwt(token, { keys: published }, { issuer: 'https://issuer.example' })
      assert.equal(payload.sub, 'alice')
      assert.equal(protectedHeader.alg, alg)
      assert.equal(protectedHeader.kid, created.kid)
    }
  })

  test('uses the given kid and use, and refuses a duplicate kid with 409', async () => {
    const keys = service()
    const [created] = await keys.createKey('named', { alg: 'ES256', kid: 'my-kid', use: 'enc' })
    assert.equal(created?.kid, 'my-kid')
    assert.equal(created?.use, 'enc')
    await rejectsWith(keys.createKey('named', { alg: 'ES256', kid: 'my-kid' }), 409, (body) => {
      assert.equal(body.error, 'Unable to insert or update resource because a resource with that value exists already')
    })
  })

  test('rejects algorithms it cannot generate with 400 naming the allowed ones', async () => {
    const keys = service()
    for (const alg of ['HS256', 'RS1', '', 'none']) {
      await rejectsWith(keys.createKey('bad', { alg }), 400, (body) => {
        assert.equal(body.error, 'Bad Request')
        assert.match(body.error_description, /^Unsupported key algorithm/)
        assert.match(body.error_description, /RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA/)
      })
    }
    await rejectsWith(keys.createKey('bad', { alg: 'ES256', use: 'tls' }), 400, (body) => {
      assert.equal(body.error, 'The request was malformed or contained invalid parameters')
    })
    await rejectsWith(keys.getKeySet('bad'), 404, () => {})
  })

  test('unknown sets and keys are 404 in Hydra\'s two formats', async () => {
    const keys = service()
    await rejectsWith(keys.getKeySet('nope'), 404, (body) => {
      assert.deepEqual(body, { error: 'Not Found', error_description: 'Unable to locate the requested resource' })
    })
    await keys.createKey('has-one', { alg: 'EdDSA', kid: 'one' })
    await rejectsWith(keys.getKey('has-one', 'two'), 404, (body) => { assert.equal(body.error, 'Unable to locate the resource') })
    await rejectsWith(keys.getKey('nope', 'one'), 404, () => {})
  })

  test('the newest key of a set signs, and keys added in the same millisecond stay ordered', async () => {
    const keys = service()
    await keys.createKey('rotate', { alg: 'ES256', kid: 'first' })
    await keys.createKey('rotate', { alg: 'ES256', kid: 'second' })
    await keys.createKey('rotate', { alg: 'ES256', kid: 'third' })
    assert.deepEqual((await keys.getKeySet('rotate')).map((k) => k.kid), ['third', 'second', 'first'])
    assert.equal((await keys.signingKey('rotate')).kid, 'third')
    await keys.deleteKey('rotate', 'third')
    assert.equal((await keys.signingKey('rotate')).kid, 'second')
  })

  test('replaces a set from a JWKS, first key newest, and one key by kid', async () => {
    const keys = service()
    const source = service()
    const [a] = await source.createKey('import-source', { alg: 'ES256', kid: 'a' })
    const [b] = await source.createKey('import-source', { alg: 'EdDSA', kid: 'b' })
    const replaced = await keys.setKeySet('imported', { keys: [b, a] })
    assert.deepEqual(replaced.map((k) => k.kid), ['b', 'a'])
    assert.deepEqual(await keys.getKeySet('imported'), [b, a])
    assert.equal((await keys.signingKey('imported')).kid, 'b')

    // The path kid fills in a missing kid; a body kid wins (Hydra ignores the path kid).
    const { kid: _drop, ...withoutKid } = a as Jwk
    const stored = await keys.setKey('imported', 'c', withoutKid)
    assert.equal(stored.kid, 'c')
    assert.deepEqual((await keys.getKeySet('imported')).map((k) => k.kid), ['c', 'b', 'a'])
    await keys.setKey('imported', 'ignored', { ...a, use: 'sig' })
    assert.deepEqual((await keys.getKeySet('imported')).map((k) => k.kid), ['a', 'c', 'b'])

    assert.deepEqual(await keys.setKeySet('imported', { keys: [] }), [])
    await rejectsWith(keys.getKeySet('imported'), 404, () => {})
  })

  test('malformed JWKs are 400, never 500', async () => {
    const keys = service()
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' })
    const bad: unknown[] = [
      null, 'text', [], {},
      { kty: 'RSA', kid: 'x', e: 'AQAB' },
      { kty: 'RSA', kid: 'x', n: 'not base64 !!', e: 'AQAB' },
      { ...rsa, kid: '' },
      { ...rsa, kid: 'x', use: 'tls' },
      { ...rsa, kid: 'x', alg: 'ES256' },
      { ...rsa, kid: 'x', kty: 'DSA' },
      { ...rsa, kid: 7 },
      { kty: 'EC', kid: 'x', crv: 'P-192', x: 'AA', y: 'AA' },
      { kty: 'oct', kid: 'x' }
    ]
    for (const body of bad) {
      await rejectsWith(keys.setKeySet('malformed', { keys: [body] }), 400, (wireBody) => {
        assert.equal(wireBody.error, 'The request was malformed or contained invalid parameters')
      })
    }
    await rejectsWith(keys.setKeySet('malformed', { keys: [{ ...rsa, kid: 'same' }, { ...rsa, kid: 'same' }] }), 400, () => {})
    await rejectsWith(keys.setKeySet('malformed', { keys: 'nope' }), 400, () => {})
    await rejectsWith(keys.setKey('malformed', 'k', { kty: 'RSA' }), 400, () => {})
    // A public-only key is fine: trust grants store those.
    assert.equal((await keys.setKeySet('malformed', { keys: [{ ...rsa, kid: 'pub' }] }))[0]?.d, undefined)
  })

  test('seals keys at rest under the first secret, bound to their set and kid', async () => {
    const keys = service()
    const [created] = await keys.createKey('sealed', { alg: 'ES256', kid: 'k' })
    const row = await store.find('sealed', 'k')
    assert.ok(row && created?.d)
    assert.equal(row.sealed.includes(created.d), false)
    const sealer = new Sealer([SECRET_A])
    assert.equal(sealer.isSealedWithCurrent(row.sealed, keyAssociatedData('sealed', 'k')), true)
    assert.deepEqual(JSON.parse(sealer.open(row.sealed, 'k', keyAssociatedData('sealed', 'k')).toString()), created)
    // Key data copied under another kid does not open.
    await store.insert([{ ...row, kid: 'copy' }])
    await assert.rejects(keys.getKey('sealed', 'copy'), SecretMismatchError)
    await store.deleteKey('sealed', 'copy')
  })

  test('opens key data Hydra wrote (same AES-256-GCM layout, no associated data)', async () => {
    const keys = service()
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })
    const legacy = { ...jwk, kid: 'from-hydra', alg: 'ES256', use: 'sig' }
    await store.insert([{ set: 'legacy', kid: 'from-hydra', sealed: new Sealer([SECRET_A]).seal(JSON.stringify(legacy)), createdAt: clock.now() }])
    assert.equal((await keys.getKey('legacy', 'from-hydra'))[0]?.d, jwk.d)
    assert.equal((await keys.signingKey('legacy')).kid, 'from-hydra')
  })
})
