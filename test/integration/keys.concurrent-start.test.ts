// First start of several replicas on one fresh database: exactly one key per default set, the same JWKS everywhere.
//
// Four child processes (test/support/ensure-keys-child.ts) each run KeysService.ensureDefaultKeySets on the same
// database. The parent forces the worst case instead of hoping for it: every child has found the sets empty and
// generated its own key before any of them may insert, so all four really race on insertIfSetEmpty.
import assert from 'node:assert/strict'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { after, describe, test } from 'node:test'
import { DEFAULT_KEY_SETS } from '../../src/keys/keys.service.js'
import { openDatabase } from '../../src/persistence/sql/db.js'
import { SqlKeysStore } from '../../src/persistence/sql/keys.sql.js'
import { migrateUp } from '../../src/persistence/sql/migrator.js'
import { testDialects } from '../support/databases.js'

const REPLICAS = 4
const SECRET = 'concurrent-start-secret-32-chars'
const CHILD = join(dirname(fileURLToPath(import.meta.url)), '..', 'support', 'ensure-keys-child.js')

interface Done { signers: Record<string, string>, jwks: string }

/** One child with a line-based JSON channel. */
function startReplica (dsn: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--enable-source-maps', CHILD, dsn, SECRET], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const listeners: Array<(message: Record<string, unknown>) => void> = []
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>
    for (const listener of listeners) listener(message)
  })
  const exited = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => { code === 0 ? resolve() : reject(new Error(`replica exited with ${String(code)}: ${stderr}`)) })
  })
  return {
    send: (message: unknown) => { child.stdin.write(`${JSON.stringify(message)}\n`) },
    onMessage: (listener: (message: Record<string, unknown>) => void) => { listeners.push(listener) },
    exited,
    kill: () => { if (child.exitCode === null) child.kill() }
  }
}

type Replica = ReturnType<typeof startReplica>

/** Resolves when every replica has sent a message matching `match`. */
function allSent (replicas: Replica[], match: (message: Record<string, unknown>) => boolean): Promise<Array<Record<string, unknown>>> {
  return Promise.all(replicas.map(async (replica) => await new Promise<Record<string, unknown>>((resolve) => {
    replica.onMessage((message) => { if (match(message)) resolve(message) })
  })))
}

for (const entry of testDialects()) {
  describe(`concurrent first start on ${entry.dialect}`, () => {
    after(async () => { await entry.dropFreshDatabases() })

    test(`${REPLICAS} replicas on one fresh database create exactly one key per default set`, { timeout: 120_000 }, async () => {
      const dsn = await entry.createFreshDsn()
      const setup = openDatabase(dsn)
      await setup.connect({ resolveNetwork: false, giveUpAfterMs: 10_000 })
      await migrateUp(setup)
      await setup.close()

      const replicas = Array.from({ length: REPLICAS }, () => startReplica(dsn))
      try {
        const ready = allSent(replicas, (m) => m.ready === true)
        const inserting = DEFAULT_KEY_SETS.map((set) => allSent(replicas, (m) => m.inserting === set))
        const done = allSent(replicas, (m) => m.done !== undefined)
        await ready
        for (const replica of replicas) replica.send({ go: true })
        // Release each set only once all replicas hold a freshly generated candidate for it.
        await Promise.all(DEFAULT_KEY_SETS.map(async (set, i) => {
          await inserting[i]
          for (const replica of replicas) replica.send({ insert: set })
        }))
        const results = (await done).map((m) => m.done as Done)
        await Promise.all(replicas.map(async (replica) => { await replica.exited }))

        for (const result of results) {
          assert.deepEqual(result.signers, results[0]?.signers, 'every replica signs with the same keys')
          assert.equal(result.jwks, results[0]?.jwks, 'every replica publishes the identical jwks.json')
        }
        const check = openDatabase(dsn)
        try {
          await check.connect()
          const store = new SqlKeysStore(check)
          for (const set of DEFAULT_KEY_SETS) {
            const stored = await store.listSet(set)
            assert.equal(stored.length, 1, `exactly one key in ${set}`)
            assert.equal(stored[0]?.kid, results[0]?.signers[set])
          }
          assert.equal((await check.db.selectFrom('networks').select('id').execute()).length, 1, 'one network row')
        } finally {
          await check.close()
        }
      } finally {
        for (const replica of replicas) replica.kill()
      }
    })
  })
}
