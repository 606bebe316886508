// 410 Gone for login/consent challenges of a finished flow, and prompt=registration going to urls.registration.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Browser, acceptConsent, acceptLogin, adminApi, authorizeUrl, createFlowClient } from '../support/fake-login-consent-app.js'
import { startTestWarden, type TestWarden } from '../support/warden.js'

const REGISTRATION = 'http://127.0.0.1:5555/register'

describe('already handled requests and the registration UI', () => {
  let warden: TestWarden
  before(async () => { warden = await startTestWarden({ config: { urls: { registration: REGISTRATION } } }) })
  after(async () => { await warden.close() })

  const getRequest = async (kind: 'login' | 'consent', challenge: string): Promise<{ status: number, body: Record<string, unknown> }> => {
    const response = await fetch(new URL(`admin/oauth2/auth/requests/${kind}?${kind}_challenge=${encodeURIComponent(challenge)}`, warden.adminUrl))
    return { status: response.status, body: await response.json() as Record<string, unknown> }
  }

  test('once the consent verifier was redeemed, both challenges of that flow answer 410 with the authorization URL', async () => {
    const client = await createFlowClient(warden)
    const browser = new Browser()
    const authorization = authorizeUrl(warden, client, { scope: 'openid' })
    const login = await browser.navigate(authorization, warden)
    const consent = await browser.navigate(await acceptLogin(warden, login.challenge, { subject: 'quinn', remember: true }), warden)
    assert.equal(consent.kind, 'consent')
    assert.equal((await getRequest('login', login.challenge)).status, 200, 'accepted but not finished: still readable')
    const consentVerifier = await acceptConsent(warden, consent.challenge)
    assert.equal((await getRequest('consent', consent.challenge)).status, 200, 'a verifier that was not redeemed ends nothing')

    const end = await browser.navigate(consentVerifier, warden)
    assert.equal(end.kind, 'client')
    assert.ok(end.params.has('code'))
    for (const [kind, challenge] of [['login', login.challenge], ['consent', consent.challenge]] as const) {
      const gone = await getRequest(kind, challenge)
      assert.equal(gone.status, 410, kind)
      assert.deepEqual(gone.body, { redirect_to: authorization }, 'redirect_to is the original authorization request')
    }
    // Following it starts a new flow, where the remembered login is offered as skippable.
    const again = await browser.navigate(authorization, warden)
    assert.equal(again.kind, 'login')
    assert.equal((await adminApi(warden).getOAuth2LoginRequest({ loginChallenge: again.challenge })).data.skip, true)
  })

  test('prompt=registration goes to urls.registration, other requests to urls.login', async () => {
    const client = await createFlowClient(warden)
    const registration = await new Browser().navigate(authorizeUrl(warden, client, { scope: 'openid', prompt: 'registration' }), warden)
    assert.equal(registration.kind, 'login')
    assert.equal(`${new URL(registration.url).origin}${new URL(registration.url).pathname}`, REGISTRATION)
    assert.equal((await getRequest('login', registration.challenge)).status, 200, 'the registration UI handles an ordinary login challenge')
    const login = await new Browser().navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)
    assert.notEqual(`${new URL(login.url).origin}${new URL(login.url).pathname}`, REGISTRATION)
  })
})
