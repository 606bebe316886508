// TokenHooks against a real HTTP receiver: request bodies, credentials, answers, retries, refusals and the legacy hook.
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { sampleClient } from '../clients/clients.store.contract.js'
import { privateIpGuard } from '../clients/private-ip-guard.js'
import { isOAuth2Error } from '../errors/oauth2-error.js'
import { startHookReceiver, unreachableUrl, type HookReceiver } from '../../test/support/hook-receiver.js'
import { TokenHooks, type HookedGrant } from './token-hook.js'
import { emptySession } from './token.js'
import type { HookTarget, TokensConfig } from './tokens.config.js'

const CONFIG = { issuer: 'https://auth.example/', excludeNotBeforeClaim: false, allowedTopLevelClaims: [], mirrorTopLevelClaims: true, preserveExtClaims: false }
const NOW = new Date('2026-11-29T12:00:00.000Z')

function grant (grantType: string, overrides: Partial<HookedGrant> = {}): HookedGrant {
  const client = sampleClient({ id: 'hooked-client' })
  return {
    client,
    grantType,
    challengeId: 'challenge-1',
    requestedScope: ['openid', 'offline'],
    grantedScope: ['openid', 'offline'],
    grantedAudience: ['https://api.example'],
    session: {
      ...emptySession(),
      subject: 'alice',
      clientSubject: 'alice',
      originGrant: 'authorization_code',
      accessTokenClaims: { tenant: 't-1' },
      idTokenClaims: { email: 'alice@example.com' },
      sid: 'sid-1',
      acr: 'urn:acr:1',
      amr: ['pwd'],
      authTimeMs: NOW.getTime() - 60_000
    },
    now: NOW,
    ...overrides
  }
}

function hooks (targets: Pick<TokensConfig, 'tokenHook' | 'refreshTokenHook'>, extra: Partial<ConstructorParameters<typeof TokenHooks>[0]> = {}): TokenHooks {
  return new TokenHooks({ config: { ...CONFIG, ...targets }, retryDelaysMs: [0, 0], ...extra })
}

const target = (url: string, apiKey?: HookTarget['apiKey']): HookTarget => ({ key: 'oauth2.token_hook', url, ...(apiKey === undefined ? {} : { apiKey }) })

async function rejection (promise: Promise<unknown>): Promise<{ error: string, statusCode: number, message: string, debug: string }> {
  try {
    await promise
  } catch (error) {
    assert.ok(isOAuth2Error(error), String(error))
    return { error: error.error, statusCode: error.statusCode, message: error.message, debug: error.debug ?? '' }
  }
  throw new Error('expected a rejection')
}

describe('token hooks', () => {
  let receiver: HookReceiver
  before(async () => { receiver = await startHookReceiver() })
  after(async () => { await receiver.close() })
  beforeEach(() => {
    receiver.calls.length = 0
    receiver.answer = () => ({ status: 204 })
  })

  test('the token hook gets Hydra\'s body, JSON content type and the api_key header; 200 replaces both claim sets', async () => {
    receiver.answer = () => ({ status: 200, body: { session: { access_token: { hooked: true }, id_token: { nickname: 'al' } } } })
    const form = { grant_type: 'authorization_code', code: 'secret-code', client_secret: 'secret', redirect_uri: 'https://app/cb', scope: 'openid' }
    const session = await hooks({ tokenHook: target(receiver.url, { in: 'header', name: 'X-Hook-Key', value: 'k1' }) }).apply(grant('authorization_code'), form)
    assert.deepEqual(session.accessTokenClaims, { hooked: true })
    assert.deepEqual(session.idTokenClaims, { nickname: 'al' })
    assert.equal(session.subject, 'alice', 'the subject cannot be changed')
    const [call] = receiver.calls
    assert.ok(call !== undefined)
    assert.equal(call.headers['content-type'], 'application/json; charset=UTF-8')
    assert.equal(call.headers['x-hook-key'], 'k1')
    assert.deepEqual(call.body['request'], {
      client_id: 'hooked-client',
      requested_scopes: ['openid', 'offline'],
      granted_scopes: ['openid', 'offline'],
      granted_audience: ['https://api.example'],
      grant_types: ['authorization_code'],
      payload: { grant_type: ['authorization_code'], scope: ['openid'] }
    })
    const sent = call.body['session'] as Record<string, any>
    assert.deepEqual(sent['extra'], { tenant: 't-1' })
    assert.equal(sent['client_id'], 'hooked-client')
    assert.equal(sent['consent_challenge'], 'challenge-1')
    assert.equal(sent['mirror_top_level_claims'], true)
    assert.equal(sent['id_token'].subject, 'alice')
    const claims = sent['id_token'].id_token_claims
    assert.deepEqual(claims.ext, { email: 'alice@example.com', sid: 'sid-1' })
    assert.equal(claims.sub, 'alice')
    assert.equal(claims.iss, 'https://auth.example/')
    assert.deepEqual(claims.aud, ['hooked-client'])
    assert.deepEqual(claims.amr, ['pwd'])
    assert.equal(claims.auth_time, '2026-11-29T11:59:00.000Z')
  })

  test('204 changes nothing; a 200 without claims empties them; a cookie api_key is sent as a cookie', async () => {
    const original = grant('client_credentials')
    assert.equal(await hooks({ tokenHook: target(receiver.url) }).apply(original, {}), original.session)
    receiver.answer = () => ({ status: 200, body: { session: null } })
    const emptied = await hooks({ tokenHook: target(receiver.url, { in: 'cookie', name: 'hook', value: 'c1' }) }).apply(original, {})
    assert.deepEqual([emptied.accessTokenClaims, emptied.idTokenClaims], [{}, {}])
    assert.equal(receiver.calls.at(-1)?.headers.cookie, 'hook=c1')
  })

  test('403 is access_denied; 501, 400 and bodies that are not the expected JSON are server_error, without retries', async () => {
    const hook = hooks({ tokenHook: target(receiver.url) })
    receiver.answer = () => ({ status: 403, body: { error: 'no' } })
    assert.deepEqual((({ error, statusCode }) => ({ error, statusCode }))(await rejection(hook.apply(grant('client_credentials'), {}))), { error: 'access_denied', statusCode: 403 })
    for (const answer of [{ status: 501 }, { status: 400 }, { status: 200 }, { status: 200, body: 'not json' }, { status: 200, body: { session: { access_token: 'x' } } }, { status: 200, body: [] }]) {
      receiver.calls.length = 0
      receiver.answer = () => answer
      const failure = await rejection(hook.apply(grant('client_credentials'), {}))
      assert.equal(failure.error, 'server_error', JSON.stringify(answer))
      assert.equal(failure.statusCode, 500)
      assert.match(failure.message, /token hook answered with an error/)
      assert.equal(receiver.calls.length, 1, JSON.stringify(answer))
    }
  })

  test('500, 503 and 429 are retried twice; a later success counts, an answer that stays bad is server_error', async () => {
    const hook = hooks({ tokenHook: target(receiver.url) })
    let count = 0
    receiver.answer = () => (++count < 3 ? { status: 503 } : { status: 200, body: { session: { access_token: { third: true } } } })
    assert.deepEqual((await hook.apply(grant('client_credentials'), {})).accessTokenClaims, { third: true })
    assert.equal(receiver.calls.length, 3)
    for (const status of [500, 429]) {
      receiver.calls.length = 0
      receiver.answer = () => ({ status })
      const failure = await rejection(hook.apply(grant('client_credentials'), {}))
      assert.equal(failure.error, 'server_error')
      assert.match(failure.message, /token hook could not be called/)
      assert.match(failure.debug, new RegExp(`HTTP ${status} \\(giving up after 3 attempt`))
      assert.equal(receiver.calls.length, 3)
    }
  })

  test('an unreachable hook, and one refused by disallow_private_ip_ranges, are server_error', async () => {
    const unreachable = await rejection(hooks({ tokenHook: target(await unreachableUrl()) }).apply(grant('client_credentials'), {}))
    assert.equal(unreachable.error, 'server_error')
    assert.match(unreachable.debug, /ECONNREFUSED.*\(3 attempt\(s\)\)/)
    const guarded = hooks({ tokenHook: target(receiver.url) }, { checkUrls: privateIpGuard() })
    const refused = await rejection(guarded.apply(grant('client_credentials'), {}))
    assert.equal(refused.error, 'server_error')
    assert.match(refused.debug, /disallow_private_ip_ranges: oauth2\.token_hook \(http:\/\/127\.0\.0\.1:\d+\/hook\) resolves to the non-public address 127\.0\.0\.1/)
    assert.equal(receiver.calls.length, 0)
    const excepted = hooks({ tokenHook: target(receiver.url) }, { checkUrls: privateIpGuard([receiver.url]) })
    await excepted.apply(grant('client_credentials'), {})
    assert.equal(receiver.calls.length, 1)
  })

  test('the legacy refresh hook runs for refresh_token grants only, first, with Hydra\'s older body', async () => {
    const legacy: HookTarget = { key: 'oauth2.refresh_token_hook', url: `${receiver.url}?legacy` }
    const both = hooks({ tokenHook: target(receiver.url), refreshTokenHook: legacy })
    receiver.answer = (call) => call.path.endsWith('?legacy')
      ? { status: 200, body: { session: { access_token: { from: 'legacy' }, id_token: {} } } }
      : { status: 200, body: { session: { access_token: { ...(call.body['session'] as { extra: object }).extra, from_token_hook: true } } } }
    const session = await both.apply(grant('refresh_token'), { grant_type: 'refresh_token', refresh_token: 'secret' })
    assert.deepEqual(session.accessTokenClaims, { from: 'legacy', from_token_hook: true })
    assert.deepEqual(receiver.calls.map((call) => call.path), ['/hook?legacy', '/hook'])
    const legacyBody = receiver.calls[0]?.body ?? {}
    assert.equal(legacyBody['subject'], 'alice')
    assert.equal(legacyBody['client_id'], 'hooked-client')
    assert.deepEqual(legacyBody['granted_scopes'], ['openid', 'offline'])
    assert.deepEqual(legacyBody['granted_audience'], ['https://api.example'])
    assert.deepEqual(legacyBody['requester'], { client_id: 'hooked-client', granted_scopes: ['openid', 'offline'], granted_audience: ['https://api.example'], grant_types: ['refresh_token'] })
    assert.deepEqual((receiver.calls[1]?.body['request'] as { payload: unknown }).payload, { grant_type: ['refresh_token'] })

    receiver.calls.length = 0
    const legacyOnly = hooks({ refreshTokenHook: legacy })
    assert.equal(legacyOnly.isCalledFor('client_credentials'), false)
    assert.equal(legacyOnly.isCalledFor('refresh_token'), true)
    await legacyOnly.apply(grant('client_credentials'), {})
    assert.equal(receiver.calls.length, 0)
  })
})
