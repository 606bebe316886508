// The JWT-bearer trust admin API through Hydra's SDK (OAuth2Api), against real listeners (Cypress admin/grant_jwtbearer.js).
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { JwkApi } from '@ory/hydra-client'
import { exportJWK } from 'jose'
import { sdkFailure } from '../support/keys-harness.js'
import { newIssuer, trustIssuer } from '../support/jwt-bearer.js'
import { startTokensHarness, type TokensHarness } from '../support/tokens-harness.js'

const PATH = 'admin/trust/grants/jwt-bearer/issuers'

describe('trust admin API (SDK OAuth2Api)', () => {
  let h: TokensHarness
  let jwk: JwkApi
  before(async () => {
    h = await startTokensHarness()
    jwk = new JwkApi(h.warden.adminSdk)
  })
  after(async () => { await h?.close() })

  async function post (body: unknown): Promise<Response> {
    return await fetch(new URL(PATH, h.warden.adminUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  }

  test('trustOAuth2JwtGrantIssuer answers 201 with Location; get, list and the stored public key agree', async () => {
    const issuer = await newIssuer()
    const expiresAt = new Date(Date.UTC(2030, 0, 1, 12, 0, 0, 400))
    // A private key is accepted, and only its public half is kept.
    const privateJwk = { ...await exportJWK(issuer.privateKey), kid: issuer.kid, alg: 'ES256', use: 'sig' }
    const response = await h.admin.trustOAuth2JwtGrantIssuer({
      trustOAuth2JwtGrantIssuer: { issuer: issuer.issuer, subject: 'alice@example.com', scope: ['read', 'write.*'], jwk: privateJwk as never, expires_at: expiresAt.toISOString() }
    })
    assert.equal(response.status, 201)
    const created = response.data
    assert.match(created.id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(response.headers['location'], `/trust/grants/jwt-bearer/issuers/${created.id}`)
    assert.equal(created.issuer, issuer.issuer)
    assert.equal(created.subject, 'alice@example.com')
    assert.equal(created.allow_any_subject, false)
    assert.deepEqual(created.scope, ['read', 'write.*'])
    assert.deepEqual(created.public_key, { set: issuer.issuer, kid: issuer.kid })
    assert.equal(created.expires_at, '2030-01-01T12:00:00Z', 'rounded to the second, as Hydra')
    assert.match(created.created_at ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)

    assert.deepEqual((await h.admin.getTrustedOAuth2JwtGrantIssuer({ id: created.id as string })).data, created)
    const listed = await h.admin.listTrustedOAuth2JwtGrantIssuers({ issuer: issuer.issuer })
    assert.deepEqual(listed.data, [created])
    assert.match(String(listed.headers['link']), /rel="first"/)

    const [stored] = (await jwk.getJsonWebKey({ set: issuer.issuer, kid: issuer.kid })).data.keys ?? []
    assert.equal(stored?.x, issuer.publicJwk.x)
    assert.equal(stored?.d, undefined, 'only the public half is stored')
  })

  test('a duplicate (issuer, subject, kid) is 409; another subject with the same key is fine; allow_any_subject works', async () => {
    const issuer = await newIssuer()
    await trustIssuer(h.admin, issuer)
    const duplicate = await sdkFailure(trustIssuer(h.admin, issuer))
    assert.equal(duplicate.status, 409)
    const bob = await trustIssuer(h.admin, issuer, { subject: 'bob@example.com' })
    assert.equal(bob.public_key?.kid, issuer.kid)
    const any = await trustIssuer(h.admin, await newIssuer(), { allowAnySubject: true })
    assert.equal(any.allow_any_subject, true)
    assert.equal(any.subject, '')
  })

  test('missing fields are 400 missing_required_parameter with Hydra\'s hints; undecodable bodies are 400 "error"', async () => {
    const issuer = await newIssuer()
    const valid = { issuer: issuer.issuer, subject: 'alice', scope: ['read'], jwk: issuer.publicJwk, expires_at: '2030-01-01T00:00:00Z' }
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...valid, issuer: undefined }, "Field 'issuer' is required."],
      [{ ...valid, subject: undefined }, "One of 'subject' or 'allow_any_subject' field must be set."],
      [{ ...valid, allow_any_subject: true }, "Both 'subject' and 'allow_any_subject' fields cannot be set at the same time."],
      [{ ...valid, expires_at: undefined }, "Field 'expires_at' is required."],
      [{ ...valid, jwk: { ...issuer.publicJwk, kid: undefined } }, "Field 'jwk' must contain JWK with kid header."],
      [{ ...valid, jwk: undefined }, "Field 'jwk' must contain JWK with kid header."]
    ]
    for (const [body, hint] of cases) {
      const response = await post(body)
      assert.equal(response.status, 400, hint)
      const error = await response.json() as { error: string, error_description: string }
      assert.equal(error.error, 'missing_required_parameter')
      assert.ok(error.error_description.includes(hint), error.error_description)
    }
    for (const body of [{ ...valid, expires_at: 'tomorrow' }, { ...valid, scope: 'read' }, { ...valid, issuer: 7 }, [valid]]) {
      const response = await post(body)
      assert.equal(response.status, 400, JSON.stringify(body))
      assert.equal((await response.json() as { error: string }).error, 'error')
    }
    const badKey = await post({ ...valid, jwk: { kty: 'EC', kid: 'k', crv: 'P-256', x: 'AAAA', y: 'AAAA' } })
    assert.equal(badKey.status, 400)
  })

  test('get/delete: a non-UUID id is 400, an unknown one 404; delete removes the key and every relationship using it', async () => {
    assert.equal((await sdkFailure(h.admin.getTrustedOAuth2JwtGrantIssuer({ id: 'not-a-uuid' }))).status, 400)
    assert.equal((await sdkFailure(h.admin.getTrustedOAuth2JwtGrantIssuer({ id: randomUUID() }))).status, 404)
    assert.equal((await sdkFailure(h.admin.deleteTrustedOAuth2JwtGrantIssuer({ id: randomUUID() }))).status, 404)
    const issuer = await newIssuer()
    const alice = await trustIssuer(h.admin, issuer)
    const bob = await trustIssuer(h.admin, issuer, { subject: 'bob@example.com' })
    assert.equal((await h.admin.deleteTrustedOAuth2JwtGrantIssuer({ id: alice.id as string })).status, 204)
    assert.equal((await sdkFailure(h.admin.getTrustedOAuth2JwtGrantIssuer({ id: alice.id as string }))).status, 404)
    assert.equal((await sdkFailure(jwk.getJsonWebKey({ set: issuer.issuer, kid: issuer.kid }))).status, 404)
    // Hydra v26: the shared key's deletion cascades to bob's relationship too.
    assert.equal((await sdkFailure(h.admin.getTrustedOAuth2JwtGrantIssuer({ id: bob.id as string }))).status, 404)
  })

  test('list pages with page_size and the Link header, filters by issuer, and the un-prefixed path works', async () => {
    const issuer = await newIssuer()
    const ids = [
      (await trustIssuer(h.admin, issuer, { subject: 'a' })).id,
      (await trustIssuer(h.admin, issuer, { subject: 'b' })).id,
      (await trustIssuer(h.admin, issuer, { subject: 'c' })).id
    ].sort()
    const first = await h.admin.listTrustedOAuth2JwtGrantIssuers({ issuer: issuer.issuer, pageSize: 2 })
    assert.deepEqual(first.data.map((grant) => grant.id), ids.slice(0, 2))
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers['link']))?.[1]
    assert.ok(next !== undefined, String(first.headers['link']))
    const page = await fetch(new URL(next.replace(/^\//, ''), h.warden.adminUrl))
    assert.deepEqual((await page.json() as Array<{ id: string }>).map((grant) => grant.id), ids.slice(2))
    const bare = await fetch(new URL(`trust/grants/jwt-bearer/issuers?issuer=${encodeURIComponent(issuer.issuer)}`, h.warden.adminUrl))
    assert.equal((await bare.json() as unknown[]).length, 3)
    assert.equal((await fetch(new URL(`${PATH}?page_token=forged`, h.warden.adminUrl))).status, 400)
  })
})
