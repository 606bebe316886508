// Four `warden serve all --dev` processes started together on one fresh database (SQLite file, PostgreSQL): all
// serve the identical /.well-known/jwks.json, and each default key set holds exactly one key.
//
// Each process generates two 4096-bit RSA keys (Hydra's size), about 10 s of CPU per run, so MySQL is left to
// keys.concurrent-start.test.ts, which forces the same race on all three databases with child processes that
// call ensureDefaultKeySets directly.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { after, describe, test } from 'node:test'
import { DEFAULT_KEY_SETS } from '../../src/keys/keys.service.js'
import { openDatabase } from '../../src/persistence/sql/db.js'
import { SqlKeysStore } from '../../src/persistence/sql/keys.sql.js'
import { testDialects } from '../support/databases.js'

const REPLICAS = 4
const WARDEN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'warden.js')

/** Free TCP ports, held open together so they are distinct, then released for the children. */
async function freePorts (count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, async () => await new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })))
  const ports = servers.map((server) => (server.address() as { port: number }).port)
  await Promise.all(servers.map(async (server) => await new Promise((resolve) => server.close(resolve))))
  return ports
}

interface Replica { child: ChildProcess, publicUrl: string, exited: Promise<number | null> }

// Every child started here, so a failed or timed-out test still stops them (after() and process exit).
const children = new Set<ChildProcess>()
const stopAll = (): void => { for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') }
process.once('exit', stopAll)

/** Starts `warden serve all --dev`; resolves once its public listener logs "listening on", rejects if it exits. */
async function startReplica (dsn: string, publicPort: number, adminPort: number): Promise<Replica> {
  const child = spawn(process.execPath, [WARDEN, 'serve', 'all', '--dev', '--no-ui'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DSN: dsn,
      SECRETS_SYSTEM: 'serve-concurrent-start-secret-32',
      URLS_SELF_ISSUER: 'http://127.0.0.1/',
      SERVE_PUBLIC_HOST: '127.0.0.1',
      SERVE_PUBLIC_PORT: String(publicPort),
      SERVE_ADMIN_HOST: '127.0.0.1',
      SERVE_ADMIN_PORT: String(adminPort),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info'
    }
  })
  children.add(child)
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { children.delete(child); resolve(code) }))
  const publicAddress = `127.0.0.1:${publicPort}`
  // The logger writes to stderr (stdout stays free for command output); read both.
  const listening = new Promise<void>((resolve) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
        output += `${line}\n`
        if (line.includes('"msg":"listening on') && line.includes(`"address":"${publicAddress}"`)) resolve()
      })
    }
  })
  const failed = exited.then((code) => { throw new Error(`warden exited with ${String(code)} before listening:\n${output}`) })
  failed.catch(() => {})
  await Promise.race([listening, failed])
  return { child, publicUrl: `http://${publicAddress}/`, exited }
}

for (const entry of testDialects().filter((candidate) => candidate.dialect !== 'mysql')) {
  describe(`warden serve: concurrent first start on ${entry.dialect}`, () => {
    after(async () => {
      stopAll()
      await entry.dropFreshDatabases()
    })

    test(`${REPLICAS} processes on one fresh database serve identical JWKS with one key per default set`, { timeout: 180_000 }, async () => {
      const dsn = await entry.createFreshDsn()
      const ports = await freePorts(REPLICAS * 2)
      const started = await Promise.allSettled(Array.from({ length: REPLICAS }, async (_, i) => await startReplica(dsn, ports[2 * i] as number, ports[2 * i + 1] as number)))
      const replicas = started.flatMap((result) => result.status === 'fulfilled' ? [result.value] : [])
      try {
        for (const result of started) if (result.status === 'rejected') throw result.reason
        const documents = await Promise.all(replicas.map(async (replica) => {
          const response = await fetch(new URL('.well-known/jwks.json', replica.publicUrl))
          assert.equal(response.status, 200)
          return await response.text()
        }))
        for (const document of documents) assert.equal(document, documents[0], 'every replica serves the identical jwks.json')
        assert.equal((JSON.parse(documents[0] as string) as { keys: unknown[] }).keys.length, 2)

        const check = openDatabase(dsn)
        try {
          await check.connect()
          const store = new SqlKeysStore(check)
          for (const set of DEFAULT_KEY_SETS) assert.equal((await store.listSet(set)).length, 1, `exactly one key in ${set}`)
        } finally {
          await check.close()
        }
      } finally {
        for (const replica of replicas) replica.child.kill('SIGTERM')
        await Promise.all(replicas.map(async (replica) => await replica.exited))
      }
    })
  })
}
