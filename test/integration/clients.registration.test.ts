// Dynamic client registration (RFC 7591/7592) through the SDK's OidcApi, and bad input to the clients API.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { failure, startClientsHarness, type ClientsHarness } from '../support/clients-harness.js'

describe('dynamic client registration (SDK)', () => {
  let h: ClientsHarness
  before(async () => { h = await startClientsHarness({ config: { oidc: { dynamic_client_registration: { enabled: true } }, urls: { self: { public: 'https://auth.example/' } } } }) })
  after(async () => { await h?.close() })

  test('register, read, update and delete with the registration access token', async () => {
    const created = await h.oidc().createOidcDynamicClient({ oAuth2Client: { client_name: 'dcr', redirect_uris: ['https://rp.example/cb'] } })
    assert.equal(created.status, 201)
    assert.equal(created.headers['location'], `admin/clients/${created.data.client_id}`)
    const client = created.data
    const id = client.client_id as string
    assert.match(id, /^[0-9a-f-]{36}$/)
    assert.match(client.client_secret ?? '', /^[a-zA-Z0-9_.~-]{26}$/)
    assert.equal(client.registration_client_uri, `https://auth.example/oauth2/register/${id}`)
    const token = client.registration_access_token as string
    assert.match(token, /^ory_at_/)

    const read = await h.oidc(token).getOidcDynamicClient({ id })
    assert.equal(read.data.client_name, 'dcr')
    assert.equal(read.data.client_secret, undefined)
    assert.equal(read.data.metadata, undefined)

    const updated = await h.oidc(token).setOidcDynamicClient({ id, oAuth2Client: { client_name: 'dcr2', redirect_uris: ['https://rp.example/cb2'] } })
    assert.equal(updated.data.client_name, 'dcr2')
    const newToken = updated.data.registration_access_token as string
    assert.ok(newToken !== undefined && newToken !== token)
    assert.equal((await failure(h.oidc(token).getOidcDynamicClient({ id }))).status, 401)
    assert.equal((await h.oidc(newToken).getOidcDynamicClient({ id })).data.client_name, 'dcr2')
    // The secret survives a DCR update (the RP can not choose a new one).
    assert.equal(await h.clients.verifySecret(await h.clients.getOAuth2Client(id), client.client_secret as string), true)

    assert.equal((await h.oidc(newToken).deleteOidcDynamicClient({ id })).status, 204)
    assert.equal((await failure(h.admin.getOAuth2Client({ id }))).status, 404)
  })

  test('a wrong or missing token is the same 401 as an unknown client', async () => {
    const created = (await h.oidc().createOidcDynamicClient({ oAuth2Client: {} })).data
    const id = created.client_id as string
    for (const [token, target] of [['ory_at_forged.signature', id], [undefined, id], [created.registration_access_token, 'unknown-id']] as const) {
      const denied = await failure(h.oidc(token).getOidcDynamicClient({ id: target }))
      assert.equal(denied.status, 401)
      assert.deepEqual(denied.data, {
        error: 'The request could not be authorized',
        error_description: 'The requested OAuth 2.0 client does not exist or you provided incorrect credentials.'
      })
    }
    // A client created on the admin API has a token too, but a token of one client does not open another.
    const other = (await h.admin.createOAuth2Client({ oAuth2Client: {} })).data
    assert.equal((await failure(h.oidc(created.registration_access_token).getOidcDynamicClient({ id: other.client_id as string }))).status, 401)
    assert.equal((await h.oidc(other.registration_access_token).getOidcDynamicClient({ id: other.client_id as string })).status, 200)
  })

  test('DCR-only restrictions', async () => {
    const secret = await failure(h.oidc().createOidcDynamicClient({ oAuth2Client: { client_secret: 'chosen-secret' } }))
    assert.deepEqual(secret.data, { error: 'The request was malformed or contained invalid parameters', error_description: 'It is not allowed to choose your own OAuth2 Client secret.' })
    const metadata = await failure(h.oidc().createOidcDynamicClient({ oAuth2Client: { metadata: { a: 1 } } }))
    assert.equal(metadata.data.error, 'invalid_client_metadata')
    assert.match(metadata.data.error_description, /'metadata' cannot be set for dynamic client registration$/)
    const strategy = await failure(h.oidc().createOidcDynamicClient({ oAuth2Client: { access_token_strategy: 'jwt' } }))
    assert.equal(strategy.data.error_description, 'It is not allowed to choose your own access token strategy.')
    const skip = await failure(h.oidc().createOidcDynamicClient({ oAuth2Client: { skip_consent: true } }))
    assert.deepEqual(skip.data, { error: 'invalid_request', error_description: "'skip_consent' cannot be set for dynamic client registration" })
    const skipLogout = await failure(h.oidc().createOidcDynamicClient({ oAuth2Client: { skip_logout_consent: true } }))
    assert.equal(skipLogout.data.error, 'invalid_request')
    const created = (await h.oidc().createOidcDynamicClient({ oAuth2Client: {} })).data
    const put = await failure(h.oidc(created.registration_access_token).setOidcDynamicClient({ id: created.client_id as string, oAuth2Client: { client_secret: 'chosen-secret' } }))
    assert.equal(put.status, 403)
  })
})

describe('dynamic client registration disabled', () => {
  let h: ClientsHarness
  before(async () => { h = await startClientsHarness() })
  after(async () => { await h?.close() })

  test('every DCR endpoint is 404 with Hydra\'s message', async () => {
    const expected = { error: 'The requested resource could not be found', error_description: 'Dynamic registration is not enabled.' }
    for (const call of [
      h.oidc().createOidcDynamicClient({ oAuth2Client: {} }),
      h.oidc('t').getOidcDynamicClient({ id: 'x' }),
      h.oidc('t').setOidcDynamicClient({ id: 'x', oAuth2Client: {} }),
      h.oidc('t').deleteOidcDynamicClient({ id: 'x' })
    ]) {
      const denied = await failure(call)
      assert.equal(denied.status, 404)
      assert.deepEqual(denied.data, expected)
    }
  })
})

describe('bad input to the clients API is a 4xx, never a 5xx', () => {
  let h: ClientsHarness
  before(async () => { h = await startClientsHarness() })
  after(async () => { await h?.close() })

  const post = async (body: string | Buffer, path = '/admin/clients', method = 'POST'): Promise<{ status: number, body: { error: string, error_description: string } }> => {
    const response = await fetch(`${h.servers.adminUrl.replace(/\/$/, '')}${path}`, { method, body, headers: { 'content-type': 'application/json' } })
    return { status: response.status, body: await response.json() as { error: string, error_description: string } }
  }

  test('a 2 MB body is 413', async () => {
    const { status } = await post(JSON.stringify({ client_name: 'x'.repeat(2 * 1024 * 1024) }))
    assert.equal(status, 413)
  })

  test('invalid UTF-8, duplicate keys and malformed JSON are 400', async () => {
    assert.equal((await post(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).status, 400)
    assert.equal((await post('{"client_name":"a","client_name":"b"}')).status, 400)
    assert.equal((await post('{"client_name":')).status, 400)
    assert.equal((await post('[]')).status, 400)
    assert.equal((await post('')).status, 400)
  })

  test('wrong types are 400 naming the field', async () => {
    for (const body of [{ client_name: 1 }, { redirect_uris: 'https://a.example/cb' }, { skip_consent: 'true' }, { jwks: [] }, { client_secret_expires_at: 'soon' }, { authorization_code_grant_access_token_lifespan: 5 }]) {
      const { status, body: error } = await post(JSON.stringify(body))
      assert.equal(status, 400, JSON.stringify(body))
      assert.match(error.error_description, new RegExp(`/${Object.keys(body)[0] as string}`))
    }
  })

  test('client metadata problems are invalid_client_metadata / invalid_redirect_uri', async () => {
    const fragment = await post(JSON.stringify({ redirect_uris: ['https://a.example/cb#frag'] }))
    assert.equal(fragment.status, 400)
    assert.equal(fragment.body.error, 'invalid_redirect_uri')
    const privateJwk = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' }
    const cases = [
      [{ jwks: { keys: [privateJwk] } }, /public keys only/],
      [{ jwks: { keys: [{ kty: 'RSA', n: 'not-a-modulus' }] } }, /Invalid JSON web key/],
      [{ jwks: { keys: [] }, jwks_uri: 'https://a.example/jwks' }, /can not both be set/],
      [{ token_endpoint_auth_method: 'private_key_jwt' }, /either jwks or jwks_uri/],
      [{ client_secret: 'short' }, /at least 6 characters/],
      [{ logo_uri: 'ftp://a.example/logo' }, /http/],
      [{ allowed_cors_origins: ['https://a.example/path'] }, /empty path/],
      [{ subject_type: 'pairwise' }, /not supported/],
      [{ userinfo_signed_response_alg: 'HS256' }, /userinfo_signed_response_alg/],
      [{ access_token_strategy: 'magic' }, /access token strategy/],
      [{ redirect_uris: ['https://a.example/cb'], post_logout_redirect_uris: ['https://b.example/bye'] }, /post_logout_redirect_uri/]
    ] as const
    for (const [body, message] of cases) {
      const result = await post(JSON.stringify(body))
      assert.equal(result.status, 400, JSON.stringify(body))
      assert.equal(result.body.error, 'invalid_client_metadata', JSON.stringify(body))
      assert.match(result.body.error_description, message)
    }
  })

  test('a patch that is not an array, or has no path, is 400', async () => {
    const id = (await h.admin.createOAuth2Client({ oAuth2Client: {} })).data.client_id as string
    assert.equal((await post('{"op":"add"}', `/admin/clients/${id}`, 'PATCH')).status, 400)
    assert.equal((await post('[{"op":"add","value":1}]', `/admin/clients/${id}`, 'PATCH')).status, 400)
    assert.equal((await post('[{"op":"add","path":"/metadata/__proto__/x","value":1}]', `/admin/clients/${id}`, 'PATCH')).status, 400)
  })
})
