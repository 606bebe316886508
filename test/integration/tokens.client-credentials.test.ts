// client_credentials end to end with openid-client 6 and Hydra's SDK; JWT access tokens checked with jose (Cypress client_creds, jwt, introspect).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as client from 'openid-client'
import { createRemoteJWKSet, jwtVerify, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startTokensHarness, type TokensHarness } from '../support/tokens-harness.js'

describe('client_credentials grant end to end', () => {
  let h: TokensHarness
  before(async () => {
    h = await startTokensHarness({ config: { oauth2: { allowed_top_level_claims: ['tenant'] } } })
  })
  after(async () => { await h?.close() })

  async function discover (id: string, secret: string, auth: client.ClientAuth): Promise<client.Configuration> {
    return await client.discovery(new URL(h.warden.publicUrl), id, secret, auth, { execute: [client.allowInsecureRequests] })
  }

  test('discovery advertises the token endpoint, grants and auth methods', async () => {
    const response = await fetch(new URL('.well-known/openid-configuration', h.warden.publicUrl))
    const doc = await response.json() as Record<string, unknown>
    assert.equal(doc['token_endpoint'], `${h.warden.publicUrl}oauth2/token`)
    assert.equal(doc['userinfo_endpoint'], `${h.warden.publicUrl}userinfo`)
    assert.equal(doc['revocation_endpoint'], `${h.warden.publicUrl}oauth2/revoke`)
    assert.deepEqual(doc['grant_types_supported'], ['authorization_code', 'client_credentials', 'refresh_token'])
    assert.deepEqual(doc['token_endpoint_auth_methods_supported'], ['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'])
  })

  test('opaque token via client_secret_basic: introspection active, then revoked → inactive', async () => {
    const c = await h.createClient({ grant_types: ['client_credentials'], scope: 'read write.*', audience: ['https://api.example/'] })
    const config = await discover(c.client_id, c.client_secret, client.ClientSecretBasic(c.client_secret))
    const tokens = await client.clientCredentialsGrant(config, { scope: 'read write.all', audience: 'https://api.example/v1' })
    assert.match(tokens.access_token, /^ory_at_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    assert.equal(tokens.refresh_token, undefined)
    assert.equal(tokens.id_token, undefined)
    assert.equal(tokens.token_type, 'bearer')
    assert.equal(tokens.scope, 'read write.all')
    assert.ok(tokens.expires_in !== undefined && tokens.expires_in > 3590 && tokens.expires_in <= 3600)
    const active = await h.introspect(tokens.access_token)
    assert.equal(active['active'], true)
    assert.equal(active['client_id'], c.client_id)
    assert.equal(active['sub'], c.client_id)
    assert.equal(active['token_type'], 'Bearer')
    assert.equal(active['token_use'], 'access_token')
    assert.equal(active['scope'], 'read write.all')
    assert.deepEqual(active['aud'], ['https://api.example/v1'])
    assert.equal(active['iss'], h.warden.publicUrl)
    assert.deepEqual(await h.introspect(tokens.access_token, 'read'), active)
    assert.deepEqual(await h.introspect(tokens.access_token, 'admin'), { active: false })
    await client.tokenRevocation(config, tokens.access_token)
    assert.deepEqual(await h.introspect(tokens.access_token), { active: false })
  })

  test('client_secret_basic: id and secret are form-URL-decoded (RFC 6749 §2.3.1)', async () => {
    const c = await h.createClient({ client_id: 'id:with%special+chars é', client_secret: 'secret:with&odd=chars%', grant_types: ['client_credentials'] })
    const response = await h.postForm('oauth2/token', { grant_type: 'client_credentials' }, ['id:with%special+chars é', 'secret:with&odd=chars%'])
    assert.equal(response.status, 200, await response.clone().text())
    assert.equal((await h.introspect(((await response.json()) as { access_token: string }).access_token))['client_id'], c.client_id)
  })

  test('client_secret_post and rotated secrets authenticate', async () => {
    const c = await h.createClient({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post' })
    const config = await discover(c.client_id, c.client_secret, client.ClientSecretPost(c.client_secret))
    assert.ok((await client.clientCredentialsGrant(config)).access_token.startsWith('ory_at_'))
    const rotated = await fetch(new URL(`admin/clients/${c.client_id}/secrets/rotate`, h.warden.adminUrl), { method: 'POST' })
    assert.equal(rotated.status, 200)
    const fresh = (await rotated.json() as { client_secret: string }).client_secret
    for (const secret of [c.client_secret, fresh]) {
      const response = await h.postForm('oauth2/token', { grant_type: 'client_credentials', client_id: c.client_id, client_secret: secret })
      assert.equal(response.status, 200)
    }
  })

  test('JWT access tokens verify against jwks.json and carry §4.4 claims', async () => {
    const c = await h.createClient({ grant_types: ['client_credentials'], scope: 'a b', access_token_strategy: 'jwt' })
    const config = await discover(c.client_id, c.client_secret, client.ClientSecretBasic(c.client_secret))
    const tokens = await client.clientCredentialsGrant(config, { scope: 'a b' })
    assert.equal(tokens.access_token.split('.').length, 3)
    const jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', h.warden.publicUrl))
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: h.warden.publicUrl })
    assert.equal(protectedHeader.typ, 'JWT')
    assert.ok(typeof protectedHeader.kid === 'string')
    assert.equal(payload.sub, c.client_id)
    assert.equal(payload['client_id'], c.client_id)
    assert.deepEqual(payload['scp'], ['a', 'b'])
    assert.deepEqual(payload.aud, [])
    assert.equal(payload.nbf, payload.iat)
    assert.ok(typeof payload.jti === 'string')
    assert.deepEqual(payload['ext'], {})
    assert.equal((await h.introspect(tokens.access_token))['active'], true)
    // A changed payload with the original signature, or an unknown kid, is inactive.
    const [header, body, signature] = tokens.access_token.split('.') as [string, string, string]
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: 'someone-else' })).toString('base64url')
    assert.deepEqual(await h.introspect(`${header}.${forged}.${signature}`), { active: false })
    const otherKid = Buffer.from(JSON.stringify({ ...protectedHeader, kid: 'nope' })).toString('base64url')
    assert.deepEqual(await h.introspect(`${otherKid}.${body}.${signature}`), { active: false })
  })

  test('private_key_jwt with an inline jwks; a replayed jti is refused', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256')
    const jwk = { ...await exportJWK(publicKey), kid: 'k1', alg: 'RS256', use: 'sig' } as { kty: string, kid: string, alg: string, use: string }
    const c = await h.createClient({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'RS256', jwks: { keys: [jwk] } })
    const config = await discover(c.client_id, '', client.PrivateKeyJwt({ key: privateKey, kid: 'k1' }))
    assert.ok((await client.clientCredentialsGrant(config)).access_token.startsWith('ory_at_'))
    const assertion = await new SignJWT({ jti: 'fixed-jti' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(c.client_id).setSubject(c.client_id).setAudience(`${h.warden.publicUrl}oauth2/token`).setIssuedAt().setExpirationTime('5m').sign(privateKey)
    const form = { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }
    assert.equal((await h.postForm('oauth2/token', form)).status, 200)
    const replay = await h.postForm('oauth2/token', form)
    assert.equal(replay.status, 401)
    assert.equal((await replay.json() as { error: string }).error, 'invalid_client')
    // The secret methods are refused for this client, naming the expected one.
    const basic = await h.postForm('oauth2/token', { grant_type: 'client_credentials' }, [c.client_id, 'x'])
    assert.equal(basic.status, 401)
    assert.match((await basic.json() as { error_description: string }).error_description, /private_key_jwt/)
  })

  test('private_key_jwt with keys fetched from jwks_uri (ES256)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256')
    const jwk = { ...await exportJWK(publicKey), kid: 'remote', alg: 'ES256', use: 'sig' }
    const server = createServer((_request, response) => { response.setHeader('content-type', 'application/json'); response.end(JSON.stringify({ keys: [jwk] })) })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`
      const c = await h.createClient({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256', jwks_uri: jwksUri })
      const config = await discover(c.client_id, '', client.PrivateKeyJwt({ key: privateKey, kid: 'remote' }))
      assert.ok((await client.clientCredentialsGrant(config)).access_token.startsWith('ory_at_'))
      // An assertion signed with another algorithm than the registered one is refused.
      const { privateKey: rsa } = await generateKeyPair('RS256')
      const wrongAlg = await discover(c.client_id, '', client.PrivateKeyJwt({ key: rsa, kid: 'remote' }))
      await assert.rejects(client.clientCredentialsGrant(wrongAlg), (error: { error?: string }) => error.error === 'invalid_client')
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  test('bad requests get RFC 6749 §5.2 errors with no-store headers', async () => {
    const c = await h.createClient({ grant_types: ['client_credentials'], scope: 'read' })
    const auth: [string, string] = [c.client_id, c.client_secret]
    const expectError = async (response: Response, status: number, error: string): Promise<void> => {
      assert.equal(response.status, status)
      assert.equal(response.headers.get('cache-control'), 'no-store')
      assert.equal(response.headers.get('pragma'), 'no-cache')
      assert.equal((await response.json() as { error: string }).error, error)
    }
    await expectError(await h.postForm('oauth2/token', {}, auth), 400, 'invalid_request')
    await expectError(await h.postForm('oauth2/token', { grant_type: 'password' }, auth), 400, 'unsupported_grant_type')
    await expectError(await h.postForm('oauth2/token', { grant_type: ['client_credentials', 'client_credentials'] }, auth), 400, 'invalid_request')
    await expectError(await h.postForm('oauth2/token', { grant_type: 'client_credentials', scope: 'admin' }, auth), 400, 'invalid_scope')
    await expectError(await h.postForm('oauth2/token', { grant_type: 'client_credentials' }, [c.client_id, 'wrong']), 401, 'invalid_client')
    await expectError(await h.postForm('oauth2/token', { grant_type: 'client_credentials' }, ['nobody', 'x']), 401, 'invalid_client')
    await expectError(await h.postForm('oauth2/token', { grant_type: 'authorization_code', code: 'x' }, auth), 400, 'unauthorized_client')
    await expectError(await fetch(new URL('oauth2/token', h.warden.publicUrl), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}'
    }), 400, 'invalid_request')
    await expectError(await fetch(new URL('oauth2/token', h.warden.publicUrl), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=%zz'
    }), 400, 'invalid_request')
    const pub = await h.createClient({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' })
    await expectError(await h.postForm('oauth2/token', { grant_type: 'client_credentials', client_id: pub.client_id }), 400, 'invalid_grant')
  })

  test('default_grant_allowed_scope off: no scope asked → none granted', async () => {
    const c = await h.createClient({ grant_types: ['client_credentials'], scope: 'read' })
    const response = await h.postForm('oauth2/token', { grant_type: 'client_credentials' }, [c.client_id, c.client_secret])
    const body = await response.json() as Record<string, unknown>
    assert.equal(body['scope'], '')
  })

  test('DELETE /admin/oauth2/tokens?client_id= revokes every access token of the client', async () => {
    const c = await h.createClient({ grant_types: ['client_credentials'] })
    const issue = async (): Promise<string> => ((await (await h.postForm('oauth2/token', { grant_type: 'client_credentials' }, [c.client_id, c.client_secret])).json()) as { access_token: string }).access_token
    const [one, two] = [await issue(), await issue()]
    await h.admin.deleteOAuth2Token({ clientId: c.client_id })
    assert.deepEqual(await h.introspect(one), { active: false })
    assert.deepEqual(await h.introspect(two), { active: false })
  })

  test('introspection of garbage, empty body and another kind of token', async () => {
    assert.deepEqual(await h.introspect('garbage'), { active: false })
    assert.deepEqual(await h.introspect('ory_at_abc.def'), { active: false })
    const response = await fetch(new URL('admin/oauth2/introspect', h.warden.adminUrl), { method: 'POST' })
    assert.equal(response.status, 400)
    assert.equal((await response.json() as { error: string }).error, 'invalid_request')
  })
})
