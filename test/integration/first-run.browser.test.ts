// The first run, in a real browser: `warden serve all --dev` with its bundled login UI, `warden perform
// authorization-code`, Debian's Chromium (playwright-core, never a downloaded browser). Screenshots of every page go
// to test-output/first-run/; with WARDEN_UPDATE_DOCS_IMAGES=1 they are also copied to docs/images/ for the quickstart.
import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { httpGet, runWarden, spawnWarden, WARDEN_BIN, type WardenProcess } from '../support/processes.js'
import { freePort, seededSqliteDsn, TEST_SYSTEM_SECRET } from '../support/warden.js'

const CHROMIUM = '/usr/bin/chromium'
const ROOT = dirname(dirname(WARDEN_BIN))
const OUTPUT = join(ROOT, 'test-output', 'first-run')
const DOCS_IMAGES = join(ROOT, 'docs', 'images')
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

const missingChromium = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium; .ci/run does)`

describe('first run in a browser', { skip: missingChromium }, () => {
  let dir: string
  let warden: WardenProcess
  let browser: Browser
  const urls = { public: '', admin: '', ui: '', callbackPort: 0 }
  let notReady: string | undefined

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'warden-first-run-'))
    mkdirSync(OUTPUT, { recursive: true })
    const [publicPort, adminPort, uiPort] = [await freePort(), await freePort(), await freePort()]
    urls.callbackPort = await freePort()
    urls.public = `http://127.0.0.1:${publicPort}/`
    urls.admin = `http://127.0.0.1:${adminPort}/`
    urls.ui = `http://127.0.0.1:${uiPort}/`
    // A database whose first start is done, with 2048-bit keys (a dev start generates 4096-bit RSA keys: seconds of
    // CPU); the CLI below then finds it migrated and its keys in place.
    const dsn = await seededSqliteDsn(join(dir, 'warden.sqlite'))
    warden = spawnWarden(['serve', 'all', '--dev'], {
      cwd: dir,
      env: { DSN: dsn, SECRETS_SYSTEM: TEST_SYSTEM_SECRET, SERVE_PUBLIC_PORT: String(publicPort), SERVE_ADMIN_PORT: String(adminPort), SERVE_UI_PORT: String(uiPort) }
    })
    await warden.waitForLine(/bundled login UI listening on/, 60_000)
    // Only while the flow engine was being built: a missing /oauth2/auth skips instead of failing.
    const probe = await httpGet(`${urls.public}oauth2/auth`)
    if (probe.status === 404 && !probe.body.includes('error')) notReady = 'GET /oauth2/auth answers 404: the flow engine is not wired yet'
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  })

  after(async () => {
    await browser?.close()
    await warden?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  async function shot (page: Page, name: string): Promise<void> {
    const path = join(OUTPUT, `${name}.png`)
    await page.screenshot({ path, fullPage: true })
    if (process.env.WARDEN_UPDATE_DOCS_IMAGES === '1') {
      mkdirSync(DOCS_IMAGES, { recursive: true })
      copyFileSync(path, join(DOCS_IMAGES, `quickstart-${name}.png`))
    }
  }

  test('sign in (wrong password first), consent without one scope, tokens, sign out', { timeout: 120_000 }, async (t) => {
    if (notReady !== undefined) { t.skip(notReady); return }
    const redirect = `http://127.0.0.1:${urls.callbackPort}/callback`
    const created = await runWarden(['create', 'oauth2-client', '-e', urls.admin, '--format', 'json', '--name', 'Quickstart app',
      '--grant-type', 'authorization_code,refresh_token', '--response-type', 'code', '--scope', 'openid,offline,email,profile', '--redirect-uri', redirect])
    assert.equal(created.code, 0, created.stderr)
    const client = JSON.parse(created.stdout) as { client_id: string, client_secret: string }

    const perform = spawnWarden(['perform', 'authorization-code', '--no-open', '-e', urls.public, '--client-id', client.client_id,
      '--client-secret', client.client_secret, '--port', String(urls.callbackPort), '--scope', 'openid,offline,email,profile'])
    try {
      const authorizationUrl = (await perform.waitForLine(/^\s+http:\/\/.*\/oauth2\/auth\?/)).trim()
      await perform.waitForLine(/Waiting for the browser/)
      const page = await browser.newPage({ viewport: { width: 900, height: 900 } })

      // 1. Warden redirects to the bundled UI's login page.
      await page.goto(authorizationUrl)
      assert.ok(page.url().startsWith(`${urls.ui}login?login_challenge=`), page.url())
      await shot(page, '1-login')

      // 2. A wrong password: an error, and the email and "remember me" are still there.
      await page.getByLabel('Email').fill('foo@bar.com')
      await page.getByLabel('Password').fill('wrong password')
      await page.getByLabel('Remember me on this device').check()
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('alert').waitFor()
      assert.match(await page.getByRole('alert').innerText(), /email address or password is incorrect/)
      assert.equal(await page.getByLabel('Email').inputValue(), 'foo@bar.com')
      assert.equal(await page.getByLabel('Remember me on this device').isChecked(), true)
      await shot(page, '2-login-wrong-password')

      // 3. The right password leads to the consent screen; its teaching panel shows the consent request.
      await page.getByLabel('Password').fill('foobar')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(/\/consent\?consent_challenge=/)
      await shot(page, '3-consent')
      await page.getByText('What just happened?').click()
      assert.match(await page.locator('details.teach pre').innerText(), /"requested_scope"/)
      await shot(page, '4-what-just-happened')

      // 4. Uncheck "email", allow: the callback page shows the tokens, and `perform` prints them.
      await page.getByRole('checkbox', { name: /^email/ }).uncheck()
      await page.getByRole('button', { name: 'Allow' }).click()
      await page.getByRole('heading', { name: 'Tokens received' }).waitFor()
      await shot(page, '5-tokens')
      const exit = await perform.exited
      assert.equal(exit.code, 0, perform.stderr)
      const accessToken = /^ACCESS TOKEN\t+(\S+)/m.exec(perform.stdout)?.[1] ?? ''
      assert.deepEqual((/^SCOPE\t+(.*?)\s*$/m.exec(perform.stdout)?.[1] ?? '').split(' ').sort(), ['offline', 'openid', 'profile'])
      assert.match(perform.stdout, /^REFRESH TOKEN\t+\S+/m)
      const idClaims = JSON.parse(perform.stdout.slice(perform.stdout.indexOf('ID TOKEN CLAIMS') + 'ID TOKEN CLAIMS'.length)) as Record<string, unknown>
      assert.equal(idClaims.sub, 'foo@bar.com')
      assert.equal(idClaims.name, 'Foo Bar')
      assert.equal(idClaims.email, undefined, 'the email scope was unchecked, so no email claim')

      // The unchecked scope was not granted: introspection agrees.
      const introspected = await runWarden(['introspect', 'token', accessToken, '-e', urls.admin, '--format', 'json'])
      assert.equal(introspected.code, 0, introspected.stderr)
      const claims = JSON.parse(introspected.stdout) as { active: boolean, scope: string }
      assert.equal(claims.active, true)
      assert.deepEqual(claims.scope.split(' ').sort(), ['offline', 'openid', 'profile'])

      // 5. Sign out through the UI (the session was remembered, so Warden asks the logout app).
      await page.getByRole('link', { name: 'Sign out of Warden' }).click()
      await page.waitForURL(/\/logout\?logout_challenge=/)
      await shot(page, '6-logout')
      await page.getByRole('button', { name: 'Yes, sign me out' }).click()
      await page.waitForURL(`${urls.ui}signed-out`)
      await page.getByRole('heading', { name: 'You are signed out' }).waitFor()
      await shot(page, '7-signed-out')

      await page.close()
    } finally {
      await perform.stop()
    }
  })
})
