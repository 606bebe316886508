// The behaviour every ClientsStore must show; run against each SQL dialect by persistence/sql/clients.sql.test.ts.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { emptyDraft, emptyLifespans, type OAuth2Client } from './client.js'
import type { ClientsStore } from './clients.store.js'

/** A client with every field set to a non-default value, so a lost column shows up. */
export function sampleClient (overrides: Partial<OAuth2Client> = {}): OAuth2Client {
  const { secret: _secret, ...draft } = emptyDraft()
  return {
    ...draft,
    id: `client-${randomUUID()}`,
    name: 'Sample app',
    secretHash: '$pbkdf2-sha256$i=25000,l=32$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U',
    rotatedSecretHashes: ['$2a$04$older', '$2a$04$oldest'],
    redirectUris: ['https://app.example/cb', 'http://127.0.0.1:8080/cb'],
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code', 'code id_token'],
    scope: 'openid offline_access',
    audience: ['https://api.example/'],
    owner: 'owner-1',
    policyUri: 'https://app.example/policy',
    allowedCorsOrigins: ['https://app.example'],
    tosUri: 'https://app.example/tos',
    clientUri: 'https://app.example/',
    logoUri: 'https://app.example/logo.png',
    contacts: ['ops@app.example'],
    subjectType: 'pairwise',
    sectorIdentifierUri: 'https://app.example/sector.json',
    jwksUri: '',
    jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] },
    tokenEndpointAuthMethod: 'client_secret_post',
    tokenEndpointAuthSigningAlg: 'ES256',
    requestUris: ['https://app.example/request.jwt'],
    requestObjectSigningAlg: 'RS256',
    userinfoSignedResponseAlg: 'RS256',
    createdAt: new Date('2026-01-02T03:04:05Z'),
    updatedAt: new Date('2026-01-02T03:04:06Z'),
    frontchannelLogoutUri: 'https://app.example/fc',
    frontchannelLogoutSessionRequired: true,
    postLogoutRedirectUris: ['https://app.example/bye'],
    backchannelLogoutUri: 'https://app.example/bc',
    backchannelLogoutSessionRequired: true,
    metadata: { tier: 'gold', nested: { list: [1, 'two', null], flag: false } },
    registrationAccessTokenSignature: 'c2lnbmF0dXJl',
    accessTokenStrategy: 'jwt',
    skipConsent: true,
    skipLogoutConsent: false,
    lifespansMs: { ...emptyLifespans(), authorizationCodeGrantAccessToken: 3_600_000, refreshTokenGrantRefreshToken: 720 * 3_600_000, deviceAuthorizationGrantIdToken: 1.5 },
    ...overrides
  }
}

/**
 * Registers the store tests. `makeStore` is called per test; stores may share one database, so each test uses
 * its own ids and owner values and never assumes an empty table.
 */
export function describeClientsStore (makeStore: () => ClientsStore | Promise<ClientsStore>): void {
  test('a stored client reads back with every field intact', async () => {
    const store = await makeStore()
    const client = sampleClient()
    assert.equal(await store.insertClient(client), true)
    assert.deepEqual(await store.getClient(client.id), client)
  })

  test('empty and unset fields read back as Hydra reads them (null lists become [])', async () => {
    const store = await makeStore()
    const client = sampleClient({
      redirectUris: null, grantTypes: null, contacts: null, requestUris: null, rotatedSecretHashes: [],
      jwks: null, metadata: undefined, skipLogoutConsent: null, lifespansMs: emptyLifespans(), secretHash: ''
    })
    await store.insertClient(client)
    const read = await store.getClient(client.id)
    assert.ok(read !== undefined)
    assert.deepEqual(read.redirectUris, [])
    assert.deepEqual(read.grantTypes, [])
    assert.deepEqual(read.contacts, [])
    assert.deepEqual(read.rotatedSecretHashes, [])
    assert.equal(read.jwks, null)
    assert.deepEqual(read.metadata, {})
    assert.equal(read.skipLogoutConsent, null)
    assert.deepEqual(read.lifespansMs, emptyLifespans())
    assert.equal(read.secretHash, '')
  })

  test('inserting a taken id is refused and leaves the stored client alone', async () => {
    const store = await makeStore()
    const client = sampleClient()
    await store.insertClient(client)
    assert.equal(await store.insertClient({ ...client, name: 'impostor' }), false)
    assert.equal((await store.getClient(client.id))?.name, 'Sample app')
  })

  test('an unknown id reads as undefined', async () => {
    const store = await makeStore()
    assert.equal(await store.getClient(`missing-${randomUUID()}`), undefined)
  })

  test('update replaces every field but created_at, and reports unknown ids', async () => {
    const store = await makeStore()
    const client = sampleClient()
    await store.insertClient(client)
    const changed = sampleClient({
      id: client.id, name: 'Renamed', scope: 'openid', secretHash: '$2a$04$new', rotatedSecretHashes: [],
      createdAt: new Date('2030-01-01T00:00:00Z'), updatedAt: new Date('2026-02-02T00:00:00Z'),
      skipLogoutConsent: true, metadata: { v: 2 }, lifespansMs: emptyLifespans()
    })
    assert.equal(await store.updateClient(changed), true)
    assert.deepEqual(await store.getClient(client.id), { ...changed, createdAt: client.createdAt })
    assert.equal(await store.updateClient(sampleClient()), false)
  })

  test('an update that changes nothing still finds the client', async () => {
    const store = await makeStore()
    const client = sampleClient()
    await store.insertClient(client)
    assert.equal(await store.updateClient(client), true)
  })

  test('delete removes the client once', async () => {
    const store = await makeStore()
    const client = sampleClient()
    await store.insertClient(client)
    assert.equal(await store.deleteClient(client.id), true)
    assert.equal(await store.getClient(client.id), undefined)
    assert.equal(await store.deleteClient(client.id), false)
  })

  test('list filters by name and owner, orders by id and pages with afterId and limit', async () => {
    const store = await makeStore()
    const owner = `owner-${randomUUID()}`
    const ids = ['c', 'a', 'e', 'b', 'd'].map((letter) => `${owner}-${letter}`)
    for (const [i, id] of ids.entries()) {
      await store.insertClient(sampleClient({ id, owner, name: i % 2 === 0 ? 'even' : 'odd' }))
    }
    const sorted = [...ids].sort()
    const all = await store.listClients({ owner, limit: 10 })
    assert.deepEqual(all.map((c) => c.id), sorted)
    const firstTwo = await store.listClients({ owner, limit: 2 })
    assert.deepEqual(firstTwo.map((c) => c.id), sorted.slice(0, 2))
    const rest = await store.listClients({ owner, limit: 10, afterId: sorted[1] as string })
    assert.deepEqual(rest.map((c) => c.id), sorted.slice(2))
    const even = await store.listClients({ owner, name: 'even', limit: 10 })
    assert.deepEqual(even.map((c) => c.id), [ids[0], ids[2], ids[4]].sort())
    assert.deepEqual(await store.listClients({ owner, name: 'nobody', limit: 10 }), [])
  })
}
