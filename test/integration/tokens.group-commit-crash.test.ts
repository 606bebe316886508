// Group commit's promise to clients, tested with a real crash: a `warden serve` process on SQLite is killed with
// SIGKILL while 20 connections mint client_credentials tokens; after a restart on the same file, every token a
// client received introspects as active. A server that answered before its batch committed would lose some.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { basicAuth } from '../support/tokens-harness.js'
import { spawnWarden, waitForHttp, type WardenProcess } from '../support/processes.js'
import { freePort, seededSqliteDsn } from '../support/warden.js'

const SECRET = 'group-commit-crash-secret-32-chr'
const CONNECTIONS = 20
const TOKENS_BEFORE_KILL = 400

describe('group commit survives a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-crash-'))
  after(() => { rmSync(dir, { recursive: true, force: true }) })

  test('every token answered before SIGKILL is active after the restart', { timeout: 120_000 }, async () => {
    const [publicPort, adminPort] = [await freePort(), await freePort()]
    const env = {
      DSN: await seededSqliteDsn(join(dir, 'db.sqlite'), [SECRET]),
      SECRETS_SYSTEM: SECRET,
      URLS_SELF_ISSUER: `http://127.0.0.1:${publicPort}/`,
      SERVE_PUBLIC_HOST: '127.0.0.1',
      SERVE_PUBLIC_PORT: String(publicPort),
      SERVE_ADMIN_HOST: '127.0.0.1',
      SERVE_ADMIN_PORT: String(adminPort),
      LOG_LEVEL: 'warn',
      // Secrets are hashed cheaply: the test is about storage, not PBKDF2.
      OAUTH2_HASHERS_PBKDF2_ITERATIONS: '1'
    }
    const adminUrl = `http://127.0.0.1:${adminPort}`
    const tokenUrl = `http://127.0.0.1:${publicPort}/oauth2/token`
    const serve = async (): Promise<WardenProcess> => {
      const warden = spawnWarden(['serve', 'all', '--dangerous-force-http', '--no-ui'], { env })
      try {
        await Promise.race([
          waitForHttp(`${adminUrl}/admin/health/ready`),
          warden.exited.then((exit) => { throw new Error(`warden exited (${String(exit.code ?? exit.signal)})`) })
        ])
      } catch (error) {
        await warden.stop('SIGKILL')
        throw new Error(`${(error as Error).message}\n${warden.stderr}`)
      }
      return warden
    }

    let warden = await serve()
    const created = await fetch(`${adminUrl}/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'crash-test', client_secret: 'crash-test-secret', grant_types: ['client_credentials'], scope: 'api' })
    })
    assert.equal(created.status, 201, await created.text())

    const received: string[] = []
    let isKilled = false
    const mintUntilKilled = async (): Promise<void> => {
      while (!isKilled) {
        try {
          const response = await fetch(tokenUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('crash-test', 'crash-test-secret') },
            body: 'grant_type=client_credentials&scope=api'
          })
          const body = await response.json() as { access_token?: string }
          assert.equal(response.status, 200, JSON.stringify(body))
          received.push(body.access_token as string)
        } catch (error) {
          // Connections cut by the kill fail; those clients never got a token.
          if (!isKilled) throw error
        }
        if (received.length >= TOKENS_BEFORE_KILL && !isKilled) {
          isKilled = true
          warden.child.kill('SIGKILL')
        }
      }
    }
    await Promise.all(Array.from({ length: CONNECTIONS }, mintUntilKilled))
    assert.equal((await warden.exited).signal, 'SIGKILL')
    assert.ok(received.length >= TOKENS_BEFORE_KILL)

    warden = await serve()
    try {
      const inactive: string[] = []
      for (const token of received) {
        const response = await fetch(`${adminUrl}/admin/oauth2/introspect`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token }).toString()
        })
        if ((await response.json() as { active: boolean }).active !== true) inactive.push(token)
      }
      assert.deepEqual(inactive, [], `${inactive.length} of ${received.length} tokens were answered but not stored`)
    } finally {
      await warden.stop()
    }
  })
})
