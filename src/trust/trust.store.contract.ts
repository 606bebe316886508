// The TrustStore contract, run against every SQL dialect by persistence/sql/trust.sql.test.ts.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { DuplicateTrustError, type TrustGrant, type TrustStore } from './trust.store.js'

export interface TrustStoreContext {
  store: TrustStore
  /** Creates the hydra_jwk row (set, kid) a relationship references. */
  addKey(set: string, kid: string): Promise<void>
}

const BASE_MS = Date.UTC(2026, 10, 29, 12, 0, 0)

export function sampleTrust (overrides: Partial<TrustGrant> = {}): TrustGrant {
  const issuer = overrides.issuer ?? `https://idp-${randomUUID()}.example`
  return {
    id: randomUUID(),
    issuer,
    subject: 'alice@example.com',
    allowAnySubject: false,
    scope: ['read', 'write.*'],
    keySet: issuer,
    keyId: 'key-1',
    createdAt: new Date(BASE_MS),
    expiresAt: new Date(BASE_MS + 86_400_000),
    ...overrides
  }
}

export function describeTrustStore (makeContext: () => Promise<TrustStoreContext>): void {
  async function inserted (context: TrustStoreContext, overrides: Partial<TrustGrant> = {}): Promise<TrustGrant> {
    const grant = sampleTrust(overrides)
    await context.addKey(grant.keySet, grant.keyId).catch(() => {}) // the key may be shared by several relationships
    await context.store.insert(grant)
    return grant
  }

  test('insert then find returns every field; unknown ids are undefined', async () => {
    const context = await makeContext()
    const grant = await inserted(context, { scope: ['a', 'b.c'], allowAnySubject: false })
    assert.deepEqual(await context.store.find(grant.id), grant)
    const any = await inserted(context, { subject: '', allowAnySubject: true, scope: [] })
    assert.deepEqual(await context.store.find(any.id), any)
    assert.equal(await context.store.find(randomUUID()), undefined)
  })

  test('the same issuer, subject and key id twice is a DuplicateTrustError; another subject is not', async () => {
    const context = await makeContext()
    const grant = await inserted(context)
    await assert.rejects(context.store.insert({ ...grant, id: randomUUID() }), DuplicateTrustError)
    await context.store.insert({ ...grant, id: randomUUID(), subject: 'bob@example.com' })
  })

  test('list: ordered by id, filtered by issuer, paged with afterId and limit', async () => {
    const context = await makeContext()
    const issuer = `https://list-${randomUUID()}.example`
    const grants = [await inserted(context, { issuer, keySet: issuer, subject: 'a' }), await inserted(context, { issuer, keySet: issuer, subject: 'b' }), await inserted(context, { issuer, keySet: issuer, subject: 'c' })]
    await inserted(context)
    const ids = grants.map((grant) => grant.id).sort()
    assert.deepEqual((await context.store.list({ issuer, afterId: '', limit: 10 })).map((grant) => grant.id), ids)
    assert.deepEqual((await context.store.list({ issuer, afterId: ids[0] as string, limit: 1 })).map((grant) => grant.id), [ids[1]])
    assert.ok((await context.store.list({ afterId: '', limit: 100 })).length >= 4)
  })

  test('delete: true once, then false', async () => {
    const context = await makeContext()
    const grant = await inserted(context)
    assert.equal(await context.store.delete(grant.id), true)
    assert.equal(await context.store.find(grant.id), undefined)
    assert.equal(await context.store.delete(grant.id), false)
  })

  test('findActive: subject or any subject, unexpired, by key id when given, newest first', async () => {
    const context = await makeContext()
    const issuer = `https://active-${randomUUID()}.example`
    const mine = await inserted(context, { issuer, keySet: issuer, keyId: 'k1', subject: 'alice' })
    const anyone = await inserted(context, { issuer, keySet: issuer, keyId: 'k2', subject: '', allowAnySubject: true, createdAt: new Date(BASE_MS + 1000) })
    await inserted(context, { issuer, keySet: issuer, keyId: 'k3', subject: 'bob' })
    await inserted(context, { issuer, keySet: issuer, keyId: 'k4', subject: 'alice', expiresAt: new Date(BASE_MS + 1000) })
    const now = new Date(BASE_MS + 2000)
    const found = await context.store.findActive({ issuer, subject: 'alice', now, limit: 100 })
    assert.deepEqual(found.map((grant) => grant.id), [anyone.id, mine.id])
    assert.deepEqual((await context.store.findActive({ issuer, subject: 'alice', keyId: 'k1', now, limit: 100 })).map((grant) => grant.id), [mine.id])
    assert.deepEqual((await context.store.findActive({ issuer, subject: 'alice', keyId: 'k3', now, limit: 100 })), [])
    assert.deepEqual((await context.store.findActive({ issuer, subject: 'carol', now, limit: 100 })).map((grant) => grant.id), [anyone.id])
    assert.deepEqual(await context.store.findActive({ issuer: 'https://other.example', subject: 'alice', now, limit: 100 }), [])
  })

  test('deleteExpired removes only relationships that expired before the instant', async () => {
    const context = await makeContext()
    const old = await inserted(context, { expiresAt: new Date(BASE_MS - 10 * 86_400_000) })
    const current = await inserted(context)
    assert.ok(await context.store.deleteExpired(new Date(BASE_MS)) >= 1)
    assert.equal(await context.store.find(old.id), undefined)
    assert.ok(await context.store.find(current.id) !== undefined)
  })
}
