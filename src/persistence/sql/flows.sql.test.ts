// FlowsStore on every dialect: single-use grant insert, remembered consent lookup, listing, revocation, sessions.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sampleClient } from '../../clients/clients.store.contract.js'
import type { StoredGrant } from '../../flows/flows.store.js'
import { openMigratedTestDatabase, testDialects } from '../../../test/support/databases.js'
import { SqlClientsStore } from './clients.sql.js'
import type { SqlDatabase } from './db.js'
import { SqlFlowsStore } from './flows.sql.js'

const at = (iso: string): Date => new Date(iso)

function grant (clientId: string, overrides: Partial<StoredGrant> = {}): StoredGrant {
  const id = Math.random().toString(16).slice(2).padEnd(32, '0')
  return {
    flowId: id, consentRequestId: `c${id}`.slice(0, 32), clientId, subject: 'alice', requestUrl: 'http://x/oauth2/auth?a=b',
    requestedScope: ['openid', 'offline'], requestedAudience: [], loginSkip: false, oidcContext: { ui_locales: ['de'] },
    requestedAt: at('2026-11-29T10:00:00Z'), loginSessionId: null, loginRemember: true, loginRememberFor: 0,
    loginExtendSessionLifespan: false, authenticatedAt: at('2026-11-29T10:00:00Z'), acr: '1', amr: ['pwd'],
    context: { foo: 'bar' }, forcedSubjectIdentifier: '', identityProviderSessionId: '', consentSkip: false,
    consentRemember: true, consentRememberFor: 0, consentHandledAt: at('2026-11-29T10:00:01Z'),
    grantedScope: ['openid'], grantedAudience: ['https://api'], sessionAccessToken: { a: 1 }, sessionIdToken: { b: 2 },
    expiresAt: null, ...overrides
  }
}

for (const entry of testDialects()) {
  describe(`SqlFlowsStore on ${entry.dialect}`, () => {
    let database: SqlDatabase
    let store: SqlFlowsStore
    const client = sampleClient()
    const now = at('2026-11-29T12:00:00Z')
    before(async () => {
      database = await openMigratedTestDatabase(entry)
      store = new SqlFlowsStore(database)
      await new SqlClientsStore(database).insertClient(client)
    })
    after(async () => {
      await database?.close()
      await entry.dropFreshDatabases()
    })

    test('grants are inserted once and read back unchanged', async () => {
      const first = grant(client.id)
      assert.equal(await store.isFlowCompleted(first.flowId), false)
      assert.equal(await store.insertGrant(first), true)
      assert.equal(await store.isFlowCompleted(first.flowId), true)
      assert.equal(await store.insertGrant(first), false, 'same flow id')
      assert.equal(await store.insertGrant({ ...grant(client.id), consentRequestId: first.consentRequestId }), false, 'same consent request id')
      const [found] = await store.findRememberedGrants(client.id, 'alice', now)
      assert.deepEqual(found, first)
      await store.revokeConsentById(first.consentRequestId)
      assert.deepEqual(await store.findRememberedGrants(client.id, 'alice', now), [])
    })

    test('remembered lookup skips expired, skipped and forgotten consents; listing pages by flow id', async () => {
      await store.insertGrant(grant(client.id, { subject: 'bob', expiresAt: at('2026-11-29T11:00:00Z'), consentRememberFor: 3600 }))
      await store.insertGrant(grant(client.id, { subject: 'bob', consentSkip: true }))
      await store.insertGrant(grant(client.id, { subject: 'bob', consentRemember: false }))
      assert.deepEqual(await store.findRememberedGrants(client.id, 'bob', now), [])
      const listed = await store.listConsentSessions({ subject: 'bob', now, limit: 10 })
      assert.equal(listed.length, 1, 'expired and skipped consents are not listed')
      for (let i = 0; i < 3; i++) await store.insertGrant(grant(client.id, { subject: 'carol' }))
      const page1 = await store.listConsentSessions({ subject: 'carol', now, limit: 2 })
      const page2 = await store.listConsentSessions({ subject: 'carol', now, limit: 2, afterFlowId: page1[1]?.flowId })
      assert.equal(page1.length, 2)
      assert.equal(page2.length, 1)
      await store.revokeConsentsOfSubject('carol', client.id)
      assert.deepEqual(await store.listConsentSessions({ subject: 'carol', now, limit: 10 }), [])
    })

    test('login sessions and forced subjects', async () => {
      const session = { id: 'sid-1', subject: 'dave', authenticatedAt: at('2026-11-29T10:00:00Z'), remember: true, identityProviderSessionId: 'idp', expiresAt: at('2026-12-29T10:00:00Z') }
      await store.upsertLoginSession(session)
      await store.upsertLoginSession({ ...session, remember: false })
      assert.deepEqual(await store.getLoginSession('sid-1'), { ...session, remember: false })
      await store.insertGrant(grant(client.id, { subject: 'dave', loginSessionId: 'sid-1' }))
      assert.deepEqual(await store.clientIdsOfLoginSession('sid-1', 'dave'), [client.id])
      assert.equal(await store.deleteLoginSession('sid-1'), true)
      assert.equal(await store.deleteLoginSession('sid-1'), false)
      const [orphan] = await store.listConsentSessions({ subject: 'dave', now, limit: 10 })
      assert.equal(orphan?.loginSessionId, null, 'ON DELETE SET NULL')
      for (let i = 0; i < 3; i++) await store.upsertLoginSession({ ...session, id: `sid-e${i}`, subject: 'erin' })
      await store.deleteLoginSessionsOfSubject('erin')
      assert.equal(await store.getLoginSession('sid-e0'), undefined)
      await store.upsertForcedSubject(client.id, 'dave', 'forced-1')
      await store.upsertForcedSubject(client.id, 'dave', 'forced-2')
      assert.equal(await store.getForcedSubject(client.id, 'dave'), 'forced-2')
    })
  })
}
