// ClientsService rules that the HTTP tests do not reach: sector identifiers, private addresses, imports, defaults.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { openMigratedTestDatabase, testDialects } from '../../test/support/databases.js'
import { testConfig } from '../../test/support/start-servers.js'
import { ManualClock } from '../lib/clock.js'
import { SqlClientsStore } from '../persistence/sql/clients.sql.js'
import type { SqlDatabase } from '../persistence/sql/db.js'
import { effectiveLifespanMs, emptyDraft, type ClientDraft } from './client.js'
import type { ClientsService } from './clients.service.js'
import { sampleClient } from './clients.store.contract.js'
import { buildClientsService } from './clients.wiring.js'
import { privateIpGuard } from './private-ip-guard.js'

const draft = (fields: Partial<ClientDraft>): ClientDraft => ({ ...emptyDraft(), ...fields })

describe('ClientsService', () => {
  const entry = testDialects()[0]!
  let database: SqlDatabase
  let service: ClientsService
  let store: SqlClientsStore
  const sectorDocuments = new Map<string, unknown>()
  const clock = new ManualClock(new Date('2026-03-04T05:06:07.600Z'))

  before(async () => {
    database = await openMigratedTestDatabase(entry)
    store = new SqlClientsStore(database)
    const config = testConfig({ secrets: { system: ['service-test-secret-32-characters'] }, oidc: { subject_identifiers: { supported_types: ['public', 'pairwise'] } } })
    service = buildClientsService(config, {
      store,
      clock,
      fetchSectorIdentifier: async (url) => {
        if (!sectorDocuments.has(url)) throw new Error('404')
        return sectorDocuments.get(url)
      }
    })
  })
  after(async () => {
    await database?.close()
    await entry.dropFreshDatabases()
  })

  test('times are stamped rounded to the second; defaults and canonical forms are applied', async () => {
    const { client } = await service.createOAuth2Client(draft({ accessTokenStrategy: 'JWT', allowedCorsOrigins: ['HTTPS://app.example/'] }))
    assert.equal(client.createdAt.toISOString(), '2026-03-04T05:06:08.000Z')
    assert.equal(client.accessTokenStrategy, 'jwt')
    assert.deepEqual(client.allowedCorsOrigins, ['https://app.example'])
    assert.equal(client.subjectType, 'public')
    assert.equal(client.secretExpiresAt, 0)
  })

  test('sector_identifier_uri must be https and list every redirect URI', async () => {
    sectorDocuments.set('https://rp.example/sector.json', ['https://rp.example/cb', 'https://rp.example/other'])
    const ok = await service.createOAuth2Client(draft({ subjectType: 'pairwise', sectorIdentifierUri: 'https://rp.example/sector.json', redirectUris: ['https://rp.example/cb'] }))
    assert.equal(ok.client.sectorIdentifierUri, 'https://rp.example/sector.json')
    const cases: Array<[Partial<ClientDraft>, RegExp]> = [
      [{ sectorIdentifierUri: 'http://rp.example/sector.json' }, /HTTPS/],
      [{ sectorIdentifierUri: 'https://rp.example/missing.json' }, /Unable to fetch/],
      [{ sectorIdentifierUri: 'https://rp.example/sector.json', redirectUris: ['https://evil.example/cb'] }, /does not match/]
    ]
    for (const [fields, message] of cases) {
      await assert.rejects(service.createOAuth2Client(draft(fields)), (error: Error & { error?: string }) => error.error === 'invalid_client_metadata' && message.test(error.message))
    }
  })

  test('with private IP ranges disallowed, client URLs must resolve to public addresses', async () => {
    const guard = privateIpGuard(['https://allowed.internal/jwks'], async (host) => host === 'intranet.example' ? ['10.1.2.3'] : ['93.184.216.34'])
    assert.match(await guard({ jwks_uri: 'https://intranet.example/jwks' }) ?? '', /10\.1\.2\.3/)
    assert.match(await guard({ backchannel_logout_uri: 'http://127.0.0.1:9000/logout' }) ?? '', /127\.0\.0\.1/)
    assert.match(await guard({ 'request_uris.0': 'http://[::1]/r' }) ?? '', /::1/)
    assert.equal(await guard({ jwks_uri: 'https://public.example/jwks', sector_identifier_uri: '' }), undefined)
    assert.equal(await guard({ jwks_uri: 'https://allowed.internal/jwks' }), undefined)
  })

  test('a client imported from Hydra with a PBKDF2 hash authenticates with its secret', async () => {
    const imported = sampleClient({
      secretHash: '$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI',
      rotatedSecretHashes: ['$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6']
    })
    await store.insertClient(imported)
    const client = await service.getOAuth2Client(imported.id)
    assert.equal(await service.verifySecret(client, 'test'), true)
    assert.equal(await service.verifySecret({ ...client, secretHash: '' }, 'test'), true)
    assert.equal(await service.verifySecret(client, 'nope'), false)
  })

  test('effective lifespans fall back to the global value', () => {
    const client = sampleClient()
    assert.equal(effectiveLifespanMs(client, 'authorization_code', 'access_token', 5), 3_600_000)
    assert.equal(effectiveLifespanMs(client, 'authorization_code', 'id_token', 5), 5)
    assert.equal(effectiveLifespanMs(client, 'refresh_token', 'refresh_token', 5), 720 * 3_600_000)
    assert.equal(effectiveLifespanMs(client, 'password', 'access_token', 5), 5)
  })

  test('an over-long client_id is invalid metadata, not a database error', async () => {
    await assert.rejects(service.createOAuth2Client(draft({ id: 'x'.repeat(256) })), /client_id/)
  })
})
