// OIDC Front- and Back-Channel Logout end to end: a real RP receiver, tokens verified with jose against jwks.json.
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { after, before, describe, test } from 'node:test'
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { adminApi, createFlowClient, exchangeCode, runAuthorizationCodeFlow } from '../support/fake-login-consent-app.js'
import { startTestWarden, type TestWarden } from '../support/warden.js'

interface Received { path: string, contentType: string, logoutToken: string }

/** A relying party's back-channel endpoint: records each POST and answers `status` (or never, when 0). */
class Receiver {
  private readonly server: Server
  private readonly waiting: Array<(received: Received) => void> = []
  readonly received: Received[] = []
  status = 200

  constructor () {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const received = { path: request.url ?? '', contentType: request.headers['content-type'] ?? '', logoutToken: new URLSearchParams(body).get('logout_token') ?? '' }
        this.received.push(received)
        this.waiting.shift()?.(received)
        if (this.status !== 0) response.writeHead(this.status).end()
      })
    })
  }

  async listen (): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    const address = this.server.address()
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  }

  /** The next request that arrives after this call. */
  async next (): Promise<Received> {
    return await new Promise((resolve) => { this.waiting.push(resolve) })
  }

  async close (): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

async function readBody (request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

// A notification that never comes would leave a test waiting: the timeout turns that into a failure.
const WAIT = { timeout: 60_000 }

describe('front- and back-channel logout', () => {
  let warden: TestWarden
  let receiver: Receiver
  let rp: string
  before(async () => {
    warden = await startTestWarden()
    receiver = new Receiver()
    rp = await receiver.listen()
  })
  after(async () => {
    await warden.close()
    await receiver.close()
  })

  const logoutUrl = (params: Record<string, string>): string => {
    const url = new URL('oauth2/sessions/logout', warden.publicUrl)
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
    return url.toString()
  }

  async function verifyLogoutToken (token: string, clientId: string): Promise<Record<string, unknown>> {
    const jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', warden.publicUrl))
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: warden.config.urls.self.issuer ?? '', audience: clientId, typ: 'JWT' })
    assert.equal(typeof protectedHeader.kid, 'string')
    assert.deepEqual(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} })
    assert.equal(typeof payload.jti, 'string')
    assert.equal(typeof payload.iat, 'number')
    assert.equal(payload.nonce, undefined, 'Back-Channel Logout 1.0 §2.4: a logout token never has a nonce')
    return payload
  }

  test('discovery advertises both channels with sessions', async () => {
    const doc = await (await fetch(new URL('.well-known/openid-configuration', warden.publicUrl))).json() as Record<string, unknown>
    assert.equal(doc.backchannel_logout_supported, true)
    assert.equal(doc.backchannel_logout_session_supported, true)
    assert.equal(doc.frontchannel_logout_supported, true)
    assert.equal(doc.frontchannel_logout_session_supported, true)
  })

  test('RP-initiated logout: a verified logout token per back-channel client, iframes with iss and sid per front-channel client', WAIT, async () => {
    const both = await createFlowClient(warden, { backchannel_logout_uri: `${rp}/bc/both`, frontchannel_logout_uri: 'http://127.0.0.1:5555/fc?keep=1' })
    const frontOnly = await createFlowClient(warden, { frontchannel_logout_uri: 'http://127.0.0.1:5556/front-only', frontchannel_logout_session_required: true })
    const bystander = await createFlowClient(warden, { backchannel_logout_uri: `${rp}/bc/bystander`, frontchannel_logout_uri: 'http://127.0.0.1:5557/bystander' })
    const first = await runAuthorizationCodeFlow({ warden, client: both, subject: 'nia', login: { remember: true } })
    const idToken = String((await exchangeCode(warden, both, first.code)).body.id_token)
    const sid = String(decodeJwt(idToken).sid)
    assert.notEqual(sid, 'undefined')
    const second = await runAuthorizationCodeFlow({ warden, client: frontOnly, browser: first.browser })
    assert.equal(second.loginSkipped, true, 'the same login session')
    await runAuthorizationCodeFlow({ warden, client: bystander, subject: 'nia' }) // another browser, another session

    const stop = await first.browser.navigate(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: 'http://127.0.0.1:5555/logged-out', state: 'state-123456' }), warden)
    assert.equal(stop.kind, 'logout')
    const { data: accepted } = await adminApi(warden).acceptOAuth2LogoutRequest({ logoutChallenge: stop.challenge })
    const delivered = receiver.next()
    const page = await first.browser.request(accepted.redirect_to)

    // Front-channel: Hydra's page, whose iframes carry iss and sid whatever frontchannel_logout_session_required says.
    assert.equal(page.status, 200)
    assert.equal(first.browser.cookies.has('ory_hydra_session'), false, 'the session cookie is cleared on the page response')
    const html = await page.text()
    const frames = [...html.matchAll(/<iframe src="([^"]+)"/g)].map((match) => new URL((match[1] ?? '').replace(/&#38;/g, '&')))
    assert.deepEqual(frames.map((url) => `${url.origin}${url.pathname}`).sort(), ['http://127.0.0.1:5555/fc', 'http://127.0.0.1:5556/front-only'])
    for (const frame of frames) {
      assert.equal(frame.searchParams.get('iss'), warden.config.urls.self.issuer)
      assert.equal(frame.searchParams.get('sid'), sid)
    }
    assert.equal(frames.find((url) => url.port === '5555')?.searchParams.get('keep'), '1', 'the URI keeps its own query')
    assert.match(html, /http-equiv="refresh" content="7;url=http:\/\/127\.0\.0\.1:5555\/logged-out\?state=state-123456"/)
    const csp = page.headers.get('content-security-policy') ?? ''
    assert.match(csp, /frame-src http:\/\/127\.0\.0\.1:5555 http:\/\/127\.0\.0\.1:5556;/)
    assert.match(csp, /script-src 'nonce-/)

    // Back-channel: only the client that took part in this session and registered a back-channel URI.
    const received = await delivered
    assert.equal(received.path, '/bc/both')
    assert.equal(received.contentType, 'application/x-www-form-urlencoded')
    const payload = await verifyLogoutToken(received.logoutToken, both.client_id ?? '')
    assert.equal(payload.sid, sid)
    assert.deepEqual(payload.aud, [both.client_id])
    assert.equal(payload.sub, undefined, 'as Hydra: sid only')
    assert.equal(decodeProtectedHeader(received.logoutToken).typ, 'JWT')
    assert.equal(receiver.received.filter((request) => request.path === '/bc/bystander').length, 0)
  })

  test('without front-channel clients the browser is redirected at once; headless logout (admin, by sid) notifies the back channel', WAIT, async () => {
    const client = await createFlowClient(warden, { backchannel_logout_uri: `${rp}/bc/headless` })
    const flow = await runAuthorizationCodeFlow({ warden, client, subject: 'oli', login: { remember: true } })
    const sid = String(decodeJwt(String((await exchangeCode(warden, client, flow.code)).body.id_token)).sid)
    const delivered = receiver.next()
    const response = await fetch(new URL(`admin/oauth2/auth/sessions/login?sid=${encodeURIComponent(sid)}`, warden.adminUrl), { method: 'DELETE' })
    assert.equal(response.status, 204)
    const received = await delivered
    assert.equal(received.path, '/bc/headless')
    assert.equal((await verifyLogoutToken(received.logoutToken, client.client_id ?? '')).sid, sid)

    const again = await runAuthorizationCodeFlow({ warden, client, subject: 'oli', login: { remember: true } })
    const stop = await again.browser.navigate(logoutUrl({}), warden)
    const { data: accepted } = await adminApi(warden).acceptOAuth2LogoutRequest({ logoutChallenge: stop.challenge })
    const next = receiver.next()
    const end = await again.browser.request(accepted.redirect_to)
    assert.equal(end.status, 302, 'no front-channel URL: a plain redirect')
    assert.match(end.headers.get('location') ?? '', /\/oauth2\/fallbacks\/logout\/callback$/)
    assert.equal((await next).path, '/bc/headless')
  })

  test('a back-channel failure is logged, not shown to the browser; shutdown aborts a delivery that hangs', WAIT, async () => {
    const timed = await startTestWarden({ config: { serve: { shutdown_timeout: '0s' } } })
    const hanging = new Receiver()
    hanging.status = 0
    const hangingUrl = await hanging.listen()
    try {
      const client = await createFlowClient(timed, { backchannel_logout_uri: `${hangingUrl}/never-answers` })
      const flow = await runAuthorizationCodeFlow({ warden: timed, client, subject: 'pat', login: { remember: true } })
      const stop = await flow.browser.navigate(new URL('oauth2/sessions/logout', timed.publicUrl).toString(), timed)
      const { data: accepted } = await adminApi(timed).acceptOAuth2LogoutRequest({ logoutChallenge: stop.challenge })
      const delivered = hanging.next()
      const end = await flow.browser.request(accepted.redirect_to)
      assert.equal(end.status, 302, 'the browser does not wait for the back channel')
      await delivered
    } finally {
      await timed.close()
      await hanging.close()
    }
    assert.ok(timed.logLines.some((line) => line.includes('Unable to execute OpenID Connect Back-Channel Logout Request') && line.includes('shutting down')),
      'the hanging delivery was aborted by the shutdown and logged')
  })
})
