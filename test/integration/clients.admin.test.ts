// The clients admin API through Hydra's own SDK (@ory/hydra-client) against real listeners.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { OAuth2Client } from '@ory/hydra-client'
import { failure, startClientsHarness, type ClientsHarness } from '../support/clients-harness.js'

describe('clients admin API (SDK)', () => {
  let h: ClientsHarness
  before(async () => { h = await startClientsHarness() })
  after(async () => { await h?.close() })

  const fetchAdmin = async (path: string, init: RequestInit = {}): Promise<Response> => await fetch(`${h.servers.adminUrl.replace(/\/$/, '')}${path}`, init)

  test('createOAuth2Client applies Hydra defaults and returns the secret once', async () => {
    const response = await h.admin.createOAuth2Client({ oAuth2Client: { client_name: 'app', redirect_uris: ['https://app.example/cb'], metadata: { a: 1 } } })
    assert.equal(response.status, 201)
    assert.equal(response.headers['location'], `/admin/clients/${response.data.client_id}`)
    const client = response.data
    assert.match(client.client_id ?? '', /^[0-9a-f-]{36}$/)
    assert.match(client.client_secret ?? '', /^[a-zA-Z0-9_.~-]{26}$/)
    assert.equal(client.scope, 'offline_access offline openid')
    assert.equal(client.subject_type, 'public')
    assert.equal(client.token_endpoint_auth_method, 'client_secret_basic')
    assert.equal(client.userinfo_signed_response_alg, 'none')
    assert.deepEqual(client.jwks, {})
    assert.deepEqual(client.metadata, { a: 1 })
    assert.deepEqual(client.audience, [])
    assert.equal(client.grant_types, null)
    assert.equal(client.skip_logout_consent, null)
    assert.equal(client.authorization_code_grant_access_token_lifespan, null)
    assert.match(client.registration_access_token ?? '', /^ory_at_/)
    assert.equal(client.registration_client_uri, `${h.config.urls.self.public ?? 'http://127.0.0.1:0/'}oauth2/register/${client.client_id}`)
    assert.match(client.created_at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const stored = await h.admin.getOAuth2Client({ id: client.client_id as string })
    assert.equal(stored.data.client_secret, undefined)
    assert.deepEqual(stored.data.grant_types, [])
    assert.equal(await h.clients.verifySecret(await h.clients.getOAuth2Client(client.client_id as string), client.client_secret as string), true)
  })

  test('public clients get no secret back; a chosen id works once, then 409', async () => {
    const id = `my-client-${Date.now()}`
    const created = await h.admin.createOAuth2Client({ oAuth2Client: { client_id: id, token_endpoint_auth_method: 'none' } })
    assert.equal(created.data.client_id, id)
    assert.equal(created.data.client_secret, undefined)
    const duplicate = await failure(h.admin.createOAuth2Client({ oAuth2Client: { client_id: id } }))
    assert.equal(duplicate.status, 409)
    assert.equal(duplicate.data.error, 'Unable to insert or update resource because a resource with that value exists already')
  })

  test('getOAuth2Client of an unknown id is 404 with Hydra\'s message, also without the /admin prefix', async () => {
    const missing = await failure(h.admin.getOAuth2Client({ id: 'does-not-exist' }))
    assert.equal(missing.status, 404)
    assert.deepEqual(missing.data, { error: 'Unable to locate the resource', error_description: '' })
    const created = await h.admin.createOAuth2Client({ oAuth2Client: { client_name: 'prefixless' } })
    const response = await fetchAdmin(`/clients/${created.data.client_id}`)
    assert.equal(response.status, 200)
    assert.equal((await response.json() as OAuth2Client).client_name, 'prefixless')
  })

  test('listOAuth2Clients pages with sealed tokens and Link rel="first"/"next"', async () => {
    const owner = `owner-${Date.now()}`
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      ids.push((await h.admin.createOAuth2Client({ oAuth2Client: { owner, client_name: i === 0 ? 'special' : 'plain' } })).data.client_id as string)
    }
    ids.sort()
    const seen: string[] = []
    let pageToken: string | undefined
    for (let page = 0; page < 5; page++) {
      const response = await h.admin.listOAuth2Clients({ owner, pageSize: 2, ...(pageToken === undefined ? {} : { pageToken }) })
      seen.push(...response.data.map((c) => c.client_id as string))
      assert.ok(response.data.every((c) => c.client_secret === undefined))
      const link = String(response.headers['link'])
      assert.match(link, /^<\/admin\/clients\?owner=owner-\d+&page_size=2&page_token=[\w-]+>; rel="first"/)
      const next = /<([^>]+)>; rel="next"/.exec(link)?.[1]
      if (next === undefined) break
      pageToken = new URL(next, 'http://x').searchParams.get('page_token') ?? undefined
    }
    assert.deepEqual(seen, ids)
    const named = await h.admin.listOAuth2Clients({ owner, clientName: 'special' })
    assert.equal(named.data.length, 1)
    const bad = await failure(h.admin.listOAuth2Clients({ pageToken: 'forged' }))
    assert.equal(bad.status, 400)
    assert.match(bad.data.error_description, /Unable to parse pagination parameters/)
    const huge = await h.admin.listOAuth2Clients({ owner, pageSize: 100000 })
    assert.match(String(huge.headers['link']), /page_size=500/)
  })

  test('setOAuth2Client replaces the client; an empty secret keeps the old one, a new one is echoed', async () => {
    const created = (await h.admin.createOAuth2Client({ oAuth2Client: { client_name: 'before', owner: 'o', contacts: ['a@b.c'] } })).data
    const id = created.client_id as string
    const kept = await h.admin.setOAuth2Client({ id, oAuth2Client: { client_name: 'after', redirect_uris: ['https://x.example/cb'] } })
    assert.equal(kept.data.client_name, 'after')
    assert.equal(kept.data.owner, '')
    assert.equal(kept.data.client_secret, undefined)
    assert.equal(kept.data.created_at, created.created_at)
    assert.equal(await h.clients.verifySecret(await h.clients.getOAuth2Client(id), created.client_secret as string), true)
    const changed = await h.admin.setOAuth2Client({ id, oAuth2Client: { client_name: 'after', client_secret: 'a-brand-new-secret' } })
    assert.equal(changed.data.client_secret, 'a-brand-new-secret')
    const stored = await h.clients.getOAuth2Client(id)
    assert.equal(await h.clients.verifySecret(stored, 'a-brand-new-secret'), true)
    assert.equal(await h.clients.verifySecret(stored, created.client_secret as string), false)
    assert.equal((await failure(h.admin.setOAuth2Client({ id: 'nope', oAuth2Client: {} }))).status, 404)
  })

  test('patchOAuth2Client applies add/remove/replace and refuses everything else with 400', async () => {
    const created = (await h.admin.createOAuth2Client({ oAuth2Client: { client_name: 'p', redirect_uris: ['https://a.example/cb'] } })).data
    const id = created.client_id as string
    const patched = await h.admin.patchOAuth2Client({
      id,
      jsonPatch: [
        { op: 'replace', path: '/client_name', value: 'patched' },
        { op: 'add', path: '/redirect_uris/-', value: 'https://b.example/cb' },
        { op: 'add', path: '/metadata/team', value: 'blue' },
        { op: 'remove', path: '/redirect_uris/0' }
      ]
    })
    assert.equal(patched.data.client_name, 'patched')
    assert.deepEqual(patched.data.redirect_uris, ['https://b.example/cb'])
    assert.deepEqual(patched.data.metadata, { team: 'blue' })
    assert.equal(patched.data.client_secret, undefined)
    assert.equal(await h.clients.verifySecret(await h.clients.getOAuth2Client(id), created.client_secret as string), true)
    const withSecret = await h.admin.patchOAuth2Client({ id, jsonPatch: [{ op: 'replace', path: '/client_secret', value: 'patched-secret' }] })
    assert.equal(withSecret.data.client_secret, 'patched-secret')
    for (const jsonPatch of [
      [{ op: 'test', path: '/client_name', value: 'patched' }],
      [{ op: 'move', from: '/owner', path: '/client_name' }],
      [{ op: 'copy', from: '/owner', path: '/client_name' }],
      [{ op: 'frobnicate', path: '/client_name', value: 1 }],
      [{ op: 'replace', path: '/client_id', value: 'other' }],
      [{ op: 'replace', path: '/client_name', value: 42 }],
      [{ op: 'remove', path: '/nothing/here' }],
      [{ op: 'replace', path: '/redirect_uris/0', value: 'https://x.example/#frag' }]
    ] as unknown as Array<Array<{ op: "add", path: string }>>) {
      const rejected = await failure(h.admin.patchOAuth2Client({ id, jsonPatch }))
      assert.equal(rejected.status, 400, JSON.stringify(jsonPatch))
    }
    assert.equal((await failure(h.admin.patchOAuth2Client({ id: 'nope', jsonPatch: [] }))).status, 404)
  })

  test('deleteOAuth2Client answers 204, then 404', async () => {
    const id = (await h.admin.createOAuth2Client({ oAuth2Client: {} })).data.client_id as string
    assert.equal((await h.admin.deleteOAuth2Client({ id })).status, 204)
    assert.equal((await failure(h.admin.getOAuth2Client({ id }))).status, 404)
    assert.equal((await failure(h.admin.deleteOAuth2Client({ id }))).status, 404)
  })

  test('setOAuth2ClientLifespans replaces all 13 lifespans and nothing else', async () => {
    const created = (await h.admin.createOAuth2Client({ oAuth2Client: { client_name: 'ls', implicit_grant_id_token_lifespan: '2h' } })).data
    assert.equal(created.implicit_grant_id_token_lifespan, '2h0m0s')
    const id = created.client_id as string
    const updated = await h.admin.setOAuth2ClientLifespans({
      id,
      oAuth2ClientTokenLifespans: { authorization_code_grant_access_token_lifespan: '31h', refresh_token_grant_refresh_token_lifespan: '90s', device_authorization_grant_id_token_lifespan: '1.5s' }
    })
    assert.equal(updated.data.authorization_code_grant_access_token_lifespan, '31h0m0s')
    assert.equal(updated.data.refresh_token_grant_refresh_token_lifespan, '1m30s')
    assert.equal(updated.data.device_authorization_grant_id_token_lifespan, '1.5s')
    assert.equal(updated.data.implicit_grant_id_token_lifespan, null)
    assert.equal(updated.data.client_name, 'ls')
    const bad = await failure(h.admin.setOAuth2ClientLifespans({ id, oAuth2ClientTokenLifespans: { jwt_bearer_grant_access_token_lifespan: 'forever' } }))
    assert.equal(bad.status, 400)
  })

  test('secret rotation keeps up to five old secrets working until they are deleted', async () => {
    const created = (await h.admin.createOAuth2Client({ oAuth2Client: {} })).data
    const id = created.client_id as string
    const secrets = [created.client_secret as string]
    for (let i = 0; i < 6; i++) {
      const response = await fetchAdmin(`/admin/clients/${id}/secrets/rotate`, { method: 'POST' })
      assert.equal(response.status, 200)
      const body = await response.json() as OAuth2Client
      assert.match(body.client_secret ?? '', /^[a-zA-Z0-9_.~-]{26}$/)
      secrets.push(body.client_secret as string)
    }
    const stored = await h.clients.getOAuth2Client(id)
    assert.equal(stored.rotatedSecretHashes.length, 5)
    const verdicts = await Promise.all(secrets.map(async (secret) => await h.clients.verifySecret(stored, secret)))
    assert.deepEqual(verdicts, [false, true, true, true, true, true, true])
    const cleared = await fetchAdmin(`/admin/clients/${id}/secrets/rotate`, { method: 'DELETE' })
    assert.equal(cleared.status, 200)
    assert.equal((await cleared.json() as OAuth2Client).client_secret, undefined)
    const after = await h.clients.getOAuth2Client(id)
    assert.equal(await h.clients.verifySecret(after, secrets[5] as string), false)
    assert.equal(await h.clients.verifySecret(after, secrets[6] as string), true)
    const publicId = (await h.admin.createOAuth2Client({ oAuth2Client: { token_endpoint_auth_method: 'none' } })).data.client_id as string
    const refused = await fetchAdmin(`/admin/clients/${publicId}/secrets/rotate`, { method: 'POST' })
    assert.equal(refused.status, 400)
    assert.match((await refused.json() as { error_description: string }).error_description, /does not support client secret rotation/)
  })
})
