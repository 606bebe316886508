// `node bin/warden.js serve` and `migrate sql` as processes against real databases: pending migrations, a database
// that is down at start and comes back, and four replicas starting together on one fresh database.
import assert from 'node:assert/strict'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { after, describe, test } from 'node:test'
import { testDialects, type TestDialect } from '../support/databases.js'
import { freePort, startTestWarden } from '../support/warden.js'
import { httpGet, runWarden, spawnWarden, waitForHttp, type WardenProcess } from '../support/processes.js'

const SECRET = 'serve-cli-database-secret-of-32c'
const TIMEOUT_MS = 120_000

function serveEnv (dsn: string, publicPort: number, adminPort: number): Record<string, string> {
  return {
    DSN: dsn,
    SECRETS_SYSTEM: SECRET,
    URLS_SELF_ISSUER: `http://127.0.0.1:${publicPort}/`,
    SERVE_PUBLIC_HOST: '127.0.0.1',
    SERVE_PUBLIC_PORT: String(publicPort),
    SERVE_ADMIN_HOST: '127.0.0.1',
    SERVE_ADMIN_PORT: String(adminPort)
  }
}

const listeningOn = (port: number): RegExp => new RegExp(`listening on http://127\\.0\\.0\\.1:${port}\\b`)

/** Rows of `migrate sql status`: [version, status]. */
function statusRows (stdout: string): Array<[string, string]> {
  return stdout.trim().split('\n').slice(1).map((line) => {
    const cells = line.trim().split(/\s+/)
    return [cells[0] ?? '', cells[cells.length - 1] ?? '']
  })
}

async function migrationStatus (dsn: string): Promise<Array<[string, string]>> {
  const result = await runWarden(['migrate', 'sql', 'status', dsn])
  assert.equal(result.code, 0, result.stderr)
  return statusRows(result.stdout)
}

for (const entry of testDialects()) {
  describe(`warden serve and migrate sql on ${entry.dialect}`, () => {
    after(async () => { await entry.dropFreshDatabases() })

    test('serve refuses pending migrations naming `warden migrate sql up`; up, status, serve, down --yes', { timeout: TIMEOUT_MS }, async () => {
      const dsn = await entry.createFreshDsn()
      const [publicPort, adminPort] = [await freePort(), await freePort()]
      const env = serveEnv(dsn, publicPort, adminPort)

      const refused = await runWarden(['serve', 'all', '--dangerous-force-http'], { env })
      assert.notEqual(refused.code, 0)
      assert.match(refused.stderr, /Warden could not start: the database has \d+ pending migration\(s\) .*`warden migrate sql up <DSN>`/)

      const pending = await migrationStatus(dsn)
      assert.ok(pending.length >= 3 && pending.every(([, status]) => status === 'Pending'), JSON.stringify(pending))

      const up = await runWarden(['migrate', 'sql', 'up', '--yes', dsn])
      assert.equal(up.code, 0, up.stderr)
      assert.match(up.stdout, /Successfully applied migrations!/)
      const applied = await migrationStatus(dsn)
      assert.deepEqual(applied, pending.map(([version]) => [version, 'Applied']))
      // The default key sets, made in-process with 2048-bit keys: key generation is not under test here (the
      // concurrent start below covers it), and two 4096-bit RSA keys cost seconds of CPU.
      await (await startTestWarden({ dsn, config: { secrets: { system: [SECRET] } } })).close()

      const warden = spawnWarden(['serve', 'all', '--dangerous-force-http'], { env })
      try {
        await warden.waitForLine(listeningOn(adminPort))
        const ready = await httpGet(`http://127.0.0.1:${adminPort}/admin/health/ready`)
        assert.equal(ready.status, 200, ready.body)
      } finally {
        assert.equal((await warden.stop()).code, 0, warden.stderr)
      }

      const down = await runWarden(['migrate', 'sql', 'down', '--yes', dsn])
      assert.equal(down.code, 0, down.stderr)
      const afterDown = await migrationStatus(dsn)
      const last = pending[pending.length - 1]?.[0] ?? ''
      assert.deepEqual(afterDown, pending.map(([version]) => [version, version === last ? 'Pending' : 'Applied']))

      const refusedAgain = await runWarden(['serve', 'all', '--dangerous-force-http'], { env })
      assert.notEqual(refusedAgain.code, 0)
      assert.match(refusedAgain.stderr, new RegExp(`1 pending migration\\(s\\) \\(${last}\\).*warden migrate sql up`))
    })

    test('four processes started together on one fresh, migrated database serve identical keys, one per default set', { timeout: TIMEOUT_MS }, async () => {
      await concurrentStart(entry)
    })
  })
}

async function concurrentStart (entry: TestDialect): Promise<void> {
  const dsn = await entry.createFreshDsn()
  const up = await runWarden(['migrate', 'sql', 'up', '--yes', dsn])
  assert.equal(up.code, 0, up.stderr)
  const ports: Array<[number, number]> = []
  for (let i = 0; i < 4; i++) ports.push([await freePort(), await freePort()])
  // Pre-migrated and without --dev: what a production rollout of several replicas does.
  const replicas = ports.map(([publicPort, adminPort]) => spawnWarden(['serve', 'all', '--dangerous-force-http'], { env: serveEnv(dsn, publicPort, adminPort) }))
  try {
    await Promise.all(replicas.map(async (replica, i) => await replica.waitForLine(listeningOn((ports[i] as [number, number])[1]), 90_000)))
    const documents = await Promise.all(ports.map(async ([publicPort]) => await httpGet(`http://127.0.0.1:${publicPort}/.well-known/jwks.json`)))
    for (const document of documents) {
      assert.equal(document.status, 200, document.body)
      assert.equal(document.body, documents[0]?.body, 'every replica serves the identical jwks.json')
    }
    for (const set of ['hydra.openid.id-token', 'hydra.jwt.access-token']) {
      const answers = await Promise.all(ports.map(async ([, adminPort]) => await httpGet(`http://127.0.0.1:${adminPort}/admin/keys/${set}`)))
      const kids = answers.map((answer) => {
        assert.equal(answer.status, 200, answer.body)
        const keys = (JSON.parse(answer.body) as { keys: Array<{ kid: string }> }).keys
        assert.equal(keys.length, 1, `exactly one key in ${set}: ${answer.body}`)
        return keys[0]?.kid
      })
      assert.equal(new Set(kids).size, 1, `every replica reads the same key of ${set}`)
    }
  } finally {
    const exits = await Promise.all(replicas.map(async (replica) => await replica.stop()))
    for (const [i, exit] of exits.entries()) assert.equal(exit.code, 0, (replicas[i] as WardenProcess).stderr)
  }
}

/** A TCP proxy on `port` to `target`; close() also cuts the connections it carries. */
async function startTcpProxy (port: number, target: { host: string, port: number }): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const track = (socket: Socket): void => { sockets.add(socket); socket.once('close', () => sockets.delete(socket)) }
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host)
    track(client)
    track(upstream)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return {
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

const postgres = testDialects().find((entry) => entry.dialect === 'postgres')

describe('warden serve with the database down at start', () => {
  after(async () => { await postgres?.dropFreshDatabases() })

  test(`keeps running with 503s, then becomes ready when the database answers${postgres === undefined ? ' (recovery part needs TEST_DATABASE_POSTGRESQL)' : ''}`, { timeout: TIMEOUT_MS }, async () => {
    const closedPort = await freePort()
    // A fresh migrated database reached through a port where nothing listens yet.
    let realDsn: URL | undefined
    if (postgres !== undefined) {
      const dsn = await postgres.createFreshDsn()
      const up = await runWarden(['migrate', 'sql', 'up', '--yes', dsn])
      assert.equal(up.code, 0, up.stderr)
      realDsn = new URL(dsn)
    }
    const dsn = new URL(realDsn?.href ?? 'postgres://postgres@127.0.0.1/warden?sslmode=disable')
    dsn.hostname = '127.0.0.1'
    dsn.port = String(closedPort)
    const [publicPort, adminPort] = [await freePort(), await freePort()]
    const warden = spawnWarden(['serve', 'all', '--dangerous-force-http'], { env: serveEnv(dsn.href, publicPort, adminPort) })
    let proxy: { close(): Promise<void> } | undefined
    try {
      await warden.waitForLine(listeningOn(adminPort))
      const ready = await httpGet(`http://127.0.0.1:${adminPort}/admin/health/ready`)
      assert.equal(ready.status, 503)
      assert.match((JSON.parse(ready.body) as { errors: { database: string } }).errors.database, /not reachable.*ECONNREFUSED/)
      const publicReady = await httpGet(`http://127.0.0.1:${publicPort}/health/ready`)
      assert.equal(publicReady.status, 503)
      assert.equal((await httpGet(`http://127.0.0.1:${adminPort}/health/alive`)).status, 200)
      for (const url of [`http://127.0.0.1:${adminPort}/admin/clients`, `http://127.0.0.1:${publicPort}/.well-known/openid-configuration`]) {
        const answer = await httpGet(url)
        assert.equal(answer.status, 503, url)
        assert.equal((JSON.parse(answer.body) as { error: string }).error, 'temporarily_unavailable')
      }
      assert.equal(warden.child.exitCode, null, 'still running')

      if (realDsn !== undefined) {
        proxy = await startTcpProxy(closedPort, { host: realDsn.hostname, port: Number(realDsn.port === '' ? 5432 : realDsn.port) })
        await waitForHttp(`http://127.0.0.1:${adminPort}/admin/health/ready`, { timeoutMs: 60_000 })
        const clients = await httpGet(`http://127.0.0.1:${adminPort}/admin/clients`)
        assert.equal(clients.status, 200, clients.body)
        assert.equal((await httpGet(`http://127.0.0.1:${publicPort}/.well-known/openid-configuration`)).status, 200)
      }
    } finally {
      assert.equal((await warden.stop()).code, 0, warden.stderr)
      await proxy?.close()
    }
  })
})
