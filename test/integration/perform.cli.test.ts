// `warden perform client-credentials|authorization-code`, `warden introspect token`, `warden revoke token` as
// child processes against a real Warden (the login and consent steps answered through the admin SDK).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { acceptConsent, acceptLogin, adminApi, Browser } from '../support/fake-login-consent-app.js'
import { Readable } from 'node:stream'
import { Command } from 'commander'
import { CliError } from '../../src/cli/cli-error.js'
import type { CliIo } from '../../src/cli/admin-client.js'
import { registerIntrospectTokenCommand } from '../../src/cli/commands/introspect-token.js'
import { registerPerformClientCredentialsCommand } from '../../src/cli/commands/perform-client-credentials.js'
import { registerRevokeTokenCommand } from '../../src/cli/commands/revoke-token.js'
import { runWarden, spawnWarden } from '../support/processes.js'
import { freePort, startTestWarden, type TestWarden } from '../support/warden.js'

let warden: TestWarden
let machine: { id: string, secret: string }

before(async () => {
  warden = await startTestWarden()
  const { data } = await adminApi(warden).createOAuth2Client({
    oAuth2Client: { client_name: 'machine', grant_types: ['client_credentials'], scope: 'read write', audience: ['https://api.example.com'] }
  })
  machine = { id: data.client_id ?? '', secret: data.client_secret ?? '' }
})

after(async () => { await warden.close() })

/** Runs a command in this process (fast; a child process costs about a second), as `warden <args>` would. */
async function inProcess (args: string[], env: Record<string, string> = {}): Promise<{ code: number, stdout: string, stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: { write: (text: string) => { stdout += text } }, stderr: { write: (text: string) => { stderr += text } }, stdin: Readable.from([]), env }
  const program = new Command('warden').exitOverride()
  registerPerformClientCredentialsCommand(program, io)
  registerIntrospectTokenCommand(program, io)
  registerRevokeTokenCommand(program, io)
  try {
    await program.parseAsync(args, { from: 'user' })
    return { code: 0, stdout, stderr }
  } catch (error) {
    return { code: error instanceof CliError ? error.exitCode : 1, stdout, stderr: `${stderr}${(error as Error).message}\n` }
  }
}

const tableValue = (stdout: string, name: string): string => new RegExp(`^${name}\\t+(\\S*)`, 'm').exec(stdout)?.[1] ?? ''

describe('perform client-credentials, introspect token, revoke token', () => {
  test('prints a token with the requested scope and audience; introspection and revocation work on it', async () => {
    const performed = await inProcess(['perform', 'client-credentials', '-e', warden.publicUrl, '--client-id', machine.id,
      '--client-secret', machine.secret, '--scope', 'read', '--audience', 'https://api.example.com'])
    assert.equal(performed.code, 0, performed.stderr)
    const token = tableValue(performed.stdout, 'ACCESS TOKEN')
    assert.match(token, /^ory_at_/)

    const introspected = await inProcess(['introspect', 'token', token, '-e', warden.adminUrl, '--format', 'json'])
    assert.equal(introspected.code, 0, introspected.stderr)
    const claims = JSON.parse(introspected.stdout) as { active: boolean, scope: string, aud: string[], client_id: string }
    assert.deepEqual([claims.active, claims.scope, claims.aud, claims.client_id], [true, 'read', ['https://api.example.com'], machine.id])
    const table = await inProcess(['introspect', 'token', token, '-e', warden.adminUrl])
    assert.equal(tableValue(table.stdout, 'ACTIVE'), 'true')
    const wrongScope = await inProcess(['introspect', 'token', token, '-e', warden.adminUrl, '--scope', 'write', '--format', 'json'])
    assert.equal((JSON.parse(wrongScope.stdout) as { active: boolean }).active, false)

    const revoked = await inProcess(['revoke', 'token', token, '-e', warden.publicUrl, '--client-id', machine.id, '--client-secret', machine.secret])
    assert.equal(revoked.code, 0, revoked.stderr)
    assert.equal(revoked.stdout.trim(), token)
    const gone = await inProcess(['introspect', 'token', token, '-e', warden.adminUrl, '--format', 'json'])
    assert.equal((JSON.parse(gone.stdout) as { active: boolean }).active, false)
  })

  test('takes the client from OAUTH2_CLIENT_ID / OAUTH2_CLIENT_SECRET and prints JSON', async () => {
    const performed = await inProcess(['perform', 'client-credentials', '-e', warden.publicUrl, '--format', 'json'],
      { OAUTH2_CLIENT_ID: machine.id, OAUTH2_CLIENT_SECRET: machine.secret })
    assert.equal(performed.code, 0, performed.stderr)
    const body = JSON.parse(performed.stdout) as { access_token: string, token_type: string }
    assert.equal(body.token_type, 'bearer')
  })

  test('failures are one line without a stack (a child process): wrong secret; and missing secret, unreachable server', async () => {
    const wrong = await runWarden(['perform', 'client-credentials', '-e', warden.publicUrl, '--client-id', machine.id, '--client-secret', 'nope'])
    assert.equal(wrong.code, 1)
    assert.match(wrong.stderr, /^invalid_client.*\(HTTP 401 from \/oauth2\/token\)\n$/)
    const missing = await inProcess(['perform', 'client-credentials', '-e', warden.publicUrl, '--client-id', machine.id])
    assert.match(missing.stderr, /^no client secret: pass --client-secret \(or set OAUTH2_CLIENT_SECRET\)\n$/)
    const down = await inProcess(['perform', 'client-credentials', '-e', 'http://127.0.0.1:1/', '--client-id', 'a', '--client-secret', 'b'])
    assert.match(down.stderr, /^could not reach http:\/\/127.0.0.1:1: .*\n$/)
  })
})

describe('perform authorization-code', () => {
  test('PKCE + state + nonce: ignores a forged state, exchanges the code, prints tokens and verified ID token claims', async () => {
    const port = await freePort()
    const redirect = `http://127.0.0.1:${port}/callback`
    const { data: client } = await adminApi(warden).createOAuth2Client({
      oAuth2Client: { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], scope: 'openid offline', redirect_uris: [redirect] }
    })
    const perform = spawnWarden(['perform', 'authorization-code', '--no-open', '-e', warden.publicUrl, '--port', String(port),
      '--client-id', client.client_id ?? '', '--client-secret', client.client_secret ?? '', '--format', 'json'])
    try {
      const url = new URL((await perform.waitForLine(/\/oauth2\/auth\?/)).trim())
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256')
      assert.equal(url.searchParams.get('scope'), 'offline openid')
      assert.ok((url.searchParams.get('nonce') ?? '').length >= 16)
      await perform.waitForLine(/Waiting for the browser/)
      const forged = await fetch(`${redirect}?code=x&state=forged`)
      assert.equal(forged.status, 400)

      const browser = new Browser()
      let stop = await browser.navigate(url.toString(), warden)
      assert.equal(stop.kind, 'login')
      stop = await browser.navigate(await acceptLogin(warden, stop.challenge, { subject: 'alice' }), warden)
      assert.equal(stop.kind, 'consent')
      stop = await browser.navigate(await acceptConsent(warden, stop.challenge), warden)
      assert.equal(stop.kind, 'client')
      const page = await fetch(stop.url)
      assert.equal(page.status, 200)
      assert.match(page.headers.get('content-security-policy') ?? '', /style-src 'sha256-/)
      assert.match(await page.text(), /Tokens received/)

      const exit = await perform.exited
      assert.equal(exit.code, 0, perform.stderr)
      const printed = JSON.parse(perform.stdout) as { access_token: string, refresh_token: string, id_token: string, id_token_claims: { sub: string, nonce: string } }
      assert.match(printed.refresh_token, /^ory_rt_/)
      assert.equal(printed.id_token_claims.sub, 'alice')
      assert.equal(printed.id_token_claims.nonce, url.searchParams.get('nonce'))
    } finally {
      await perform.stop()
    }
  })

  test('an error sent back to the callback ends the command with that error', async () => {
    const port = await freePort()
    const perform = spawnWarden(['perform', 'authorization-code', '--no-open', '-e', warden.publicUrl, '--port', String(port), '--client-id', 'someone'])
    try {
      await perform.waitForLine(/Waiting for the browser/)
      const answer = await fetch(`http://127.0.0.1:${port}/callback?error=access_denied&error_description=no+thanks`)
      assert.equal(answer.status, 400)
      assert.equal((await perform.exited).code, 1)
      assert.match(perform.stderr, /the authorization failed: access_denied: no thanks\n$/)
    } finally {
      await perform.stop()
    }
  })
})
