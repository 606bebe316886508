// The reference UI against a stub admin API: pages, CSRF, wrong password, skip, consent choices, logout, failures.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { consentRequest, loginRequest, logoutRequest, startStubAdminApi, stubClient, type StubAdminApi } from '../../test/support/stub-admin-api.js'
import { CSRF_COOKIE } from './csrf.js'
import { startLoginUi, UiPortInUseError, type RunningLoginUi } from './ui-server.js'
import { hashPassword, readUsersFile, UserStore, verifyPassword } from './users.js'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let admin: StubAdminApi
let ui: RunningLoginUi

before(async () => {
  admin = await startStubAdminApi({
    login: {
      L1: loginRequest(),
      LSKIP: loginRequest({ skip: true, subject: 'foo@bar.com' }),
      LEXPIRED: { status: 401, body: { error: 'request_unauthorized', error_description: 'The login request has expired, please try again.' } },
      LUSED: { status: 410, body: { redirect_to: 'http://127.0.0.1:4444/oauth2/auth?client_id=client-1' } }
    },
    consent: {
      C1: consentRequest(),
      CSKIP: consentRequest({ skip: true }),
      CFIRST: consentRequest({ client: stubClient({ skip_consent: true }) })
    },
    logout: { O1: logoutRequest(), OSKIP: logoutRequest({ rp_initiated: true, client: stubClient({ skip_logout_consent: true }) }) }
  })
  const users = new UserStore([{ subject: 'foo@bar.com', email: 'foo@bar.com', name: 'Foo Bar', passwordHash: await hashPassword('foobar') }], await hashPassword('decoy'), { email: 'foo@bar.com', password: 'foobar' })
  ui = await startLoginUi({ port: 0, adminUrl: admin.url, publicUrl: 'http://127.0.0.1:4444/', users })
})

after(async () => {
  await ui.close()
  await admin.close()
})

/** GET a step page; returns the page, its CSRF cookie and the hidden token. */
async function open (path: string): Promise<{ response: Response, body: string, cookie: string, token: string }> {
  const response = await fetch(new URL(path, ui.url), { redirect: 'manual' })
  const body = await response.text()
  const cookie = /warden_ui_csrf=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? ''
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? ''
  return { response, body, cookie, token }
}

async function post (path: string, fields: Array<[string, string]>, cookie: string | undefined): Promise<{ response: Response, body: string }> {
  const response = await fetch(new URL(path, ui.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie === undefined ? {} : { cookie: `${CSRF_COOKIE}=${cookie}` }) },
    body: new URLSearchParams(fields).toString()
  })
  return { response, body: await response.text() }
}

const callsTo = (suffix: string): unknown[] => admin.calls.filter((call) => call.method === 'PUT' && call.path.endsWith(suffix)).map((call) => call.body)

describe('reference login UI', () => {
  test('the login page: strict headers, escaped client name, CSRF cookie, the admin API answer in the teaching panel', async () => {
    const { response, body, cookie, token } = await open('/login?login_challenge=L1')
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'; style-src 'self'/)
    assert.equal(response.headers.get('x-frame-options'), 'DENY')
    assert.ok(cookie.length > 20 && token.length > 20)
    assert.match(response.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Lax/)
    assert.match(body, /Demo &lt;App&gt;/)
    assert.doesNotMatch(body, /<script|style=/)
    assert.match(body, /<label for="email">Email<\/label>/)
    assert.match(body, /What just happened\?/)
    assert.match(body, /Demo account: <code>foo@bar.com<\/code>/)
    assert.match(body, /&quot;session_id&quot;: &quot;sid-1&quot;/)
  })

  test('a wrong password shows an error and keeps the email and "remember me"; nothing is accepted', async () => {
    const { cookie, token } = await open('/login?login_challenge=L1')
    const before = callsTo('/login/accept').length
    const { response, body } = await post('/login', [['challenge', 'L1'], ['_csrf', token], ['email', 'foo@bar.com'], ['password', 'wrong'], ['remember', '1'], ['action', 'accept']], cookie)
    assert.equal(response.status, 401)
    assert.match(body, /role="alert"[^>]*>The email address or password is incorrect/)
    assert.match(body, /value="foo@bar.com"/)
    assert.match(body, /name="remember" value="1" checked/)
    assert.equal(callsTo('/login/accept').length, before)
  })

  test('the right password accepts the login with the subject and "remember", then redirects to Warden', async () => {
    const { cookie, token } = await open('/login?login_challenge=L1')
    const { response } = await post('/login', [['challenge', 'L1'], ['_csrf', token], ['email', 'FOO@bar.com '], ['password', 'foobar'], ['remember', '1'], ['action', 'accept']], cookie)
    assert.equal(response.status, 303)
    assert.equal(response.headers.get('location'), 'http://127.0.0.1:4444/oauth2/auth?login_verifier=accept-L1')
    assert.deepEqual(callsTo('/login/accept').at(-1), { subject: 'foo@bar.com', remember: true, remember_for: 3600, context: { email: 'foo@bar.com' } })
  })

  test('a POST without the CSRF cookie, or with a token for another challenge, is refused with a way back', async () => {
    const { cookie, token } = await open('/login?login_challenge=L1')
    const missing = await post('/login', [['challenge', 'L1'], ['_csrf', token], ['email', 'foo@bar.com'], ['password', 'foobar']], undefined)
    assert.equal(missing.response.status, 403)
    assert.match(missing.body, /did not send this app&#39;s security cookie/)
    assert.match(missing.body, /href="\/login\?login_challenge=L1"/)
    const other = await post('/login', [['challenge', 'LSKIP'], ['_csrf', token], ['email', 'foo@bar.com'], ['password', 'foobar']], cookie)
    assert.equal(other.response.status, 403)
  })

  test('skip: a remembered session is accepted at once, without a form', async () => {
    const { response } = await open('/login?login_challenge=LSKIP')
    assert.equal(response.status, 302)
    assert.deepEqual(callsTo('/login/accept').at(-1), { subject: 'foo@bar.com' })
  })

  test('cancel rejects the login with access_denied', async () => {
    const { cookie, token } = await open('/login?login_challenge=L1')
    const { response } = await post('/login', [['challenge', 'L1'], ['_csrf', token], ['action', 'reject']], cookie)
    assert.equal(response.status, 303)
    assert.equal((callsTo('/login/reject').at(-1) as { error: string }).error, 'access_denied')
  })

  test('expired, used and unknown challenges explain themselves', async () => {
    const expired = await open('/login?login_challenge=LEXPIRED')
    assert.equal(expired.response.status, 401)
    assert.match(expired.body, /This sign-in request has expired/)
    assert.match(expired.body, /ttl.login_consent_request/)
    const used = await open('/login?login_challenge=LUSED')
    assert.equal(used.response.status, 410)
    assert.match(used.body, /href="http:\/\/127.0.0.1:4444\/oauth2\/auth\?client_id=client-1"/)
    const unknown = await open('/consent?consent_challenge=nope')
    assert.equal(unknown.response.status, 404)
    assert.match(unknown.body, /consent link is not valid/)
    const none = await open('/login')
    assert.equal(none.response.status, 400)
  })

  test('consent lists scopes and audience as checkboxes; an unchecked scope is not granted; claims follow the granted scopes', async () => {
    const { body, cookie, token } = await open('/consent?consent_challenge=C1')
    for (const scope of ['openid', 'offline', 'email', 'https://api.example.com']) assert.match(body, new RegExp(`value="${scope}" checked`))
    const { response } = await post('/consent', [
      ['challenge', 'C1'], ['_csrf', token], ['grant_scope', 'openid'], ['grant_scope', 'email'], ['grant_scope', 'admin:everything'],
      ['grant_audience', 'https://api.example.com'], ['action', 'accept']
    ], cookie)
    assert.equal(response.status, 303)
    assert.deepEqual(callsTo('/consent/accept').at(-1), {
      grant_scope: ['openid', 'email'],
      grant_access_token_audience: ['https://api.example.com'],
      remember: false,
      remember_for: 0,
      session: { id_token: { email: 'foo@bar.com' }, access_token: {} }
    })
  })

  test('consent skip and client.skip_consent grant everything requested without a screen', async () => {
    for (const challenge of ['CSKIP', 'CFIRST']) {
      const { response } = await open(`/consent?consent_challenge=${challenge}`)
      assert.equal(response.status, 302)
      const granted = callsTo('/consent/accept').at(-1) as { grant_scope: string[] }
      assert.deepEqual(granted.grant_scope, ['openid', 'offline', 'email'])
    }
  })

  test('deny rejects the consent', async () => {
    const { cookie, token } = await open('/consent?consent_challenge=C1')
    const { response } = await post('/consent', [['challenge', 'C1'], ['_csrf', token], ['action', 'reject']], cookie)
    assert.equal(response.status, 303)
    assert.equal(callsTo('/consent/reject').length, 1)
  })

  test('logout asks first; yes accepts, no rejects and says nothing changed', async () => {
    const { body, cookie, token } = await open('/logout?logout_challenge=O1')
    assert.match(body, /Sign out\?/)
    const yes = await post('/logout', [['challenge', 'O1'], ['_csrf', token], ['action', 'accept']], cookie)
    assert.equal(yes.response.status, 303)
    const no = await post('/logout', [['challenge', 'O1'], ['_csrf', token], ['action', 'reject']], cookie)
    assert.equal(no.response.status, 200)
    assert.match(no.body, /still signed in/)
    assert.equal(callsTo('/logout/reject').length, 1)
  })

  test('client.skip_logout_consent on an RP-initiated logout accepts without asking', async () => {
    const before = callsTo('/logout/accept').length
    const { response } = await open('/logout?logout_challenge=OSKIP')
    assert.equal(response.status, 302)
    assert.equal(callsTo('/logout/accept').length, before + 1)
  })

  test('the stylesheet is served; unknown pages are 404', async () => {
    const css = await fetch(new URL('/ui.css', ui.url))
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8')
    assert.match(await css.text(), /prefers-color-scheme/)
    assert.equal((await fetch(new URL('/nope', ui.url))).status, 404)
    assert.match(await (await fetch(new URL('/signed-out', ui.url))).text(), /You are signed out/)
  })

  test('an unreachable admin API gives a 502 page naming it', async () => {
    const down = await startLoginUi({ port: 0, adminUrl: 'http://127.0.0.1:1/', users: new UserStore([], await hashPassword('x')) })
    try {
      const response = await fetch(new URL('/login?login_challenge=x', down.url))
      assert.equal(response.status, 502)
      assert.match(await response.text(), /could not reach Warden&#39;s admin API at http:\/\/127.0.0.1:1\//)
    } finally {
      await down.close()
    }
  })

  test('a taken port is reported as UiPortInUseError naming the port', async () => {
    await assert.rejects(startLoginUi({ port: ui.port, adminUrl: admin.url, users: new UserStore([], 'x') }),
      (error: unknown) => error instanceof UiPortInUseError && error.port === ui.port)
  })
})

describe('demo users', () => {
  test('scrypt hashes verify only the right password; malformed hashes never match', async () => {
    const hash = await hashPassword('foobar')
    assert.match(hash, /^scrypt\$16384\$8\$1\$/)
    assert.equal(await verifyPassword('foobar', hash), true)
    assert.equal(await verifyPassword('foobaR', hash), false)
    assert.equal(await verifyPassword('foobar', 'plain'), false)
  })

  test('a users file is read from YAML, with subject defaulting to the email; bad entries are named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-ui-users-'))
    try {
      const path = join(dir, 'users.yaml')
      writeFileSync(path, `- email: ann@example.com\n  name: Ann\n  password_hash: "${await hashPassword('pw')}"\n`)
      const [ann] = readUsersFile(path)
      assert.equal(ann?.subject, 'ann@example.com')
      const store = new UserStore(readUsersFile(path), await hashPassword('decoy'))
      assert.equal((await store.authenticate('ann@example.com', 'pw'))?.name, 'Ann')
      assert.equal(await store.authenticate('bob@example.com', 'pw'), undefined)
      writeFileSync(path, '- email: bob@example.com\n')
      assert.throws(() => readUsersFile(path), /user 1 needs "email" and "password_hash"/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
