// The TokensStore contract, run against every SQL dialect by persistence/sql/tokens.sql.test.ts.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import type { RefreshRecord, TokenRecord } from './token.js'
import type { TokensStore } from './tokens.store.js'

export interface TokensStoreContext {
  store: TokensStore
  /** An existing client id (rows reference hydra_client). */
  clientId: string
}

const BASE_MS = Date.UTC(2026, 10, 29, 12, 0, 0)

export function sampleToken (clientId: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    signature: randomBytes(48).toString('hex'),
    requestId: randomBytes(16).toString('hex'),
    challengeId: null,
    requestedAt: new Date(BASE_MS),
    clientId,
    requestedScope: ['openid', 'offline'],
    grantedScope: ['openid', 'offline'],
    requestedAudience: ['https://api.example/'],
    grantedAudience: ['https://api.example/'],
    formData: 'grant_type=authorization_code',
    sessionData: '{"subject":"alice"}',
    subject: 'alice',
    isActive: true,
    expiresAt: new Date(BASE_MS + 3_600_000),
    ...overrides
  }
}

export function sampleRefresh (clientId: string, overrides: Partial<RefreshRecord> = {}): RefreshRecord {
  return { ...sampleToken(clientId), firstUsedAt: null, usedTimes: 0, accessTokenSignature: null, ...overrides }
}

export function describeTokensStore (makeContext: () => Promise<TokensStoreContext>): void {
  test('access, refresh and code rows round-trip', async () => {
    const { store, clientId } = await makeContext()
    const access = sampleToken(clientId, { grantedScope: [] })
    const refresh = sampleRefresh(clientId, { accessTokenSignature: access.signature })
    const code = sampleToken(clientId)
    await store.insertAccess(access)
    await store.insertRefresh(refresh)
    await store.insertCode(code)
    assert.deepEqual(await store.findAccess(access.signature), access)
    assert.deepEqual(await store.findRefresh(refresh.signature), refresh)
    assert.deepEqual(await store.findCode(code.signature), code)
    assert.equal(await store.findAccess('unknown'), undefined)
  })

  test('useCode succeeds once', async () => {
    const { store, clientId } = await makeContext()
    const code = sampleToken(clientId)
    await store.insertCode(code)
    const keepUntil = new Date(BASE_MS + 1_800_000)
    assert.equal(await store.atomically(async (w) => await w.useCode(code.signature, keepUntil)), true)
    assert.equal(await store.useCode(code.signature, keepUntil), false)
    const used = await store.findCode(code.signature)
    assert.equal(used?.isActive, false)
    assert.deepEqual(used?.expiresAt, keepUntil)
  })

  test('refresh rotation bookkeeping: lock, mark used twice, chain deactivation and revocation', async () => {
    const { store, clientId } = await makeContext()
    const first = sampleRefresh(clientId)
    const sibling = sampleRefresh(clientId, { requestId: first.requestId })
    const access = sampleToken(clientId, { requestId: first.requestId })
    await store.insertRefresh(first)
    await store.insertRefresh(sibling)
    await store.insertAccess(access)
    const usedAt = new Date(BASE_MS + 1000)
    await store.atomically(async (w) => {
      const locked = await w.lockRefresh(first.signature)
      assert.ok(locked !== undefined && locked !== 'locked')
      assert.equal(locked.usedTimes, 0)
      await w.markRefreshUsed(first.signature, usedAt, new Date(BASE_MS + 5000))
    })
    await store.markRefreshUsed(first.signature, new Date(BASE_MS + 2000), new Date(BASE_MS + 6000))
    const used = await store.findRefresh(first.signature)
    assert.equal(used?.isActive, false)
    assert.equal(used?.usedTimes, 2)
    assert.deepEqual(used?.firstUsedAt, usedAt)
    assert.deepEqual(used?.expiresAt, new Date(BASE_MS + 6000))
    await store.deactivateChainRefresh(first.requestId, new Date(BASE_MS + 7000))
    assert.equal((await store.findRefresh(sibling.signature))?.isActive, false)
    await store.deleteChainAccess(first.requestId)
    assert.equal(await store.findAccess(access.signature), undefined)
    await store.revokeChain(first.requestId)
    assert.equal(await store.findRefresh(first.signature), undefined)
    assert.equal(await store.findRefresh(sibling.signature), undefined)
    assert.equal(await store.atomically(async (w) => await w.lockRefresh(first.signature)), undefined)
  })

  test('a failed atomically() rolls every write back', async () => {
    const { store, clientId } = await makeContext()
    const access = sampleToken(clientId)
    await assert.rejects(store.atomically(async (w) => {
      await w.insertAccess(access)
      throw new Error('boom')
    }), /boom/)
    assert.equal(await store.findAccess(access.signature), undefined)
  })

  test('deleteClientAccessTokens removes access tokens only', async () => {
    const { store, clientId } = await makeContext()
    const access = sampleToken(clientId)
    const refresh = sampleRefresh(clientId)
    await store.insertAccess(access)
    await store.insertRefresh(refresh)
    assert.equal(await store.deleteClientAccessTokens(clientId), 1)
    assert.equal(await store.findAccess(access.signature), undefined)
    assert.ok(await store.findRefresh(refresh.signature) !== undefined)
  })

  test('useJti: single use until expiry', async () => {
    const { store } = await makeContext()
    const jti = randomBytes(32).toString('hex')
    const now = new Date(BASE_MS)
    assert.equal(await store.useJti(jti, new Date(BASE_MS + 60_000), now), true)
    assert.equal(await store.useJti(jti, new Date(BASE_MS + 60_000), now), false)
    assert.equal(await store.useJti(jti, new Date(BASE_MS + 180_000), new Date(BASE_MS + 120_000)), true)
  })

  test('deleteExpiredBatch deletes at most a batch of expired rows and keeps live ones', async () => {
    const { store, clientId } = await makeContext()
    const expired = Array.from({ length: 5 }, () => sampleToken(clientId, { expiresAt: new Date(BASE_MS - 1000) }))
    const live = sampleToken(clientId, { expiresAt: new Date(BASE_MS + 1000) })
    for (const record of [...expired, live]) await store.insertAccess(record)
    assert.equal(await store.deleteExpiredBatch('access', new Date(BASE_MS), 3), 3)
    assert.equal(await store.deleteExpiredBatch('access', new Date(BASE_MS), 3), 2)
    assert.equal(await store.deleteExpiredBatch('access', new Date(BASE_MS), 3), 0)
    assert.ok(await store.findAccess(live.signature) !== undefined)
  })
}
