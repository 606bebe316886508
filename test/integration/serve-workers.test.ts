// `serve.workers`: two worker processes share the listeners, both answer, and SIGTERM to the primary stops them all.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { freePort } from '../support/warden.js'
import { httpGet, runWarden, spawnWarden } from '../support/processes.js'

/** Child pids of `pid`, from /proc (Linux). */
function childrenOf (pid: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry))
    } catch {}
  }
  return children
}

describe('serve.workers', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-workers-'))
  after(() => { rmSync(dir, { recursive: true, force: true }) })

  test('2 workers serve, both answer, SIGTERM stops all', { timeout: 120_000 }, async () => {
    const dsn = `sqlite://${join(dir, 'db.sqlite')}?_fk=true`
    const migrated = await runWarden(['migrate', 'sql', 'up', '--yes', dsn])
    assert.equal(migrated.code, 0, migrated.stderr)
    const [publicPort, adminPort] = [await freePort(), await freePort()]
    const warden = spawnWarden(['serve', 'all', '--dangerous-force-http', '--no-ui'], {
      env: {
        DSN: dsn,
        SECRETS_SYSTEM: 'workers-test-system-secret-32chr',
        URLS_SELF_ISSUER: `http://127.0.0.1:${publicPort}/`,
        SERVE_PUBLIC_HOST: '127.0.0.1',
        SERVE_PUBLIC_PORT: String(publicPort),
        SERVE_ADMIN_HOST: '127.0.0.1',
        SERVE_ADMIN_PORT: String(adminPort),
        SERVE_WORKERS: '2',
        LOG_LEVEL: 'info'
      }
    })
    try {
      await warden.waitForLine(/2 worker processes listening/, 90_000)
      const workers = childrenOf(warden.child.pid as number)
      assert.equal(workers.length, 2, `worker processes: ${workers.join(', ')}`)

      // Each request opens a new connection; node:cluster hands connections to the workers in turn.
      for (let i = 0; i < 8; i++) {
        assert.equal((await httpGet(`http://127.0.0.1:${publicPort}/health/alive`, { headers: { connection: 'close' } })).status, 200)
        assert.equal((await httpGet(`http://127.0.0.1:${adminPort}/health/ready`, { headers: { connection: 'close' } })).status, 200)
      }
      // Key generation happened once, in the primary: both workers serve the same JWKS.
      const jwks = await Promise.all([1, 2, 3, 4].map(async () => (await httpGet(`http://127.0.0.1:${publicPort}/.well-known/jwks.json`, { headers: { connection: 'close' } })).body))
      assert.equal(new Set(jwks).size, 1)
      await warden.waitForLine(/worker=2.*completed handling request|completed handling request.*worker=2/, 10_000)
      await warden.waitForLine(/worker=1.*completed handling request|completed handling request.*worker=1/, 10_000)

      const exit = await warden.stop('SIGTERM')
      assert.equal(exit.code, 0, warden.stderr)
      for (const pid of workers) assert.equal(existsSync(`/proc/${pid}`), false, `worker ${pid} still running`)
      assert.match(warden.stdout + warden.stderr, /all workers stopped/)
    } finally {
      if (warden.child.exitCode === null) warden.child.kill('SIGKILL')
    }
  })
})
