// Ten concurrent refreshes of one refresh token: never more successes than rotation allows, never a half-revoked chain.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { OAuth2Client } from '@ory/hydra-client'
import { testDialects } from '../support/databases.js'
import { createFlowClient, exchangeCode, runAuthorizationCodeFlow } from '../support/fake-login-consent-app.js'
import { startTokensHarness, type TokensHarness } from '../support/tokens-harness.js'

const CASES = [
  { name: 'strict rotation', grace: '0s', count: 0, maxSuccesses: 1 },
  { name: 'grace period with reuse count 3', grace: '1m', count: 3, maxSuccesses: 3 }
]

for (const entry of testDialects()) {
  for (const c of CASES) {
    describe(`concurrent refresh (${c.name}) on ${entry.dialect}`, () => {
      let h: TokensHarness
      let rp: OAuth2Client
      before(async () => {
        h = await startTokensHarness({ dialect: entry, config: { oauth2: { grant: { refresh_token: { rotation_grace_period: c.grace, rotation_grace_reuse_count: c.count } } } } })
        rp = await createFlowClient(h.warden)
      })
      after(async () => {
        await h?.close()
        await entry.dropFreshDatabases()
      })

      test('10 at once', async () => {
        const { code } = await runAuthorizationCodeFlow({ warden: h.warden, client: rp, scope: 'openid offline' })
        const issued = await exchangeCode(h.warden, rp, code)
        const refreshToken = issued.body['refresh_token'] as string
        const responses = await Promise.all(Array.from({ length: 10 }, async () => {
          const response = await h.postForm('oauth2/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, [rp.client_id ?? '', rp.client_secret ?? ''])
          return { status: response.status, body: await response.json() as Record<string, string> }
        }))
        const successes = responses.filter((r) => r.status === 200)
        for (const failure of responses.filter((r) => r.status !== 200)) {
          assert.equal(failure.status, 400)
          assert.ok(['invalid_grant', 'invalid_request'].includes(failure.body['error'] ?? ''), JSON.stringify(failure.body))
        }
        assert.ok(successes.length >= 0 && successes.length <= c.maxSuccesses, `${successes.length} successes`)
        // Each issued pair is either wholly usable or wholly revoked.
        for (const success of successes) {
          const access = await h.introspect(success.body['access_token'] ?? '')
          const refresh = await h.introspect(success.body['refresh_token'] ?? '')
          assert.equal(access['active'], refresh['active'])
        }
        // And the chain as a whole agrees: all issued pairs share one fate unless the grace period keeps them.
        const states = await Promise.all(successes.map(async (s) => (await h.introspect(s.body['refresh_token'] ?? ''))['active']))
        if (c.count === 0) assert.ok(states.length <= 1)
        const wasReuseDetected = responses.some((r) => r.body['error'] === 'invalid_grant')
        if (wasReuseDetected) assert.ok(states.every((state) => state === false), 'reuse detection must revoke every token of the chain')
      })
    })
  }
}
