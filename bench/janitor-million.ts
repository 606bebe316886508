// Janitor on a million expired access tokens: total time, per-batch time, and how long a concurrent lookup waits.
// Run: npx tsc -p tsconfig.json && node dist/bench/janitor-million.js [dsn]   (default: a fresh SQLite file)
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { sampleClient } from '../src/clients/clients.store.contract.js'
import { openDatabase } from '../src/persistence/sql/db.js'
import { migrateUp } from '../src/persistence/sql/migrator.js'
import { SqlClientsStore } from '../src/persistence/sql/clients.sql.js'
import { SqlTokensStore, type TokensTables } from '../src/persistence/sql/tokens.sql.js'
import { flushExpiredTokens } from '../src/tokens/janitor.js'

const ROWS = Number(process.env.ROWS ?? 1_000_000)
const dsn = process.argv[2] ?? `sqlite://${join(mkdtempSync(join(tmpdir(), 'janitor-bench-')), 'db.sqlite')}`
const database = openDatabase(dsn)
await database.connect({ resolveNetwork: false })
await migrateUp(database)
await database.resolveNetwork()
const client = sampleClient()
await new SqlClientsStore(database).insertClient(client)
const db = database.db.withTables<TokensTables>()
const expired = new Date(Date.now() - 48 * 3_600_000)
const live = new Date(Date.now() + 3_600_000)
const row = (expiresAt: Date) => ({
  signature: randomBytes(48).toString('hex'), nid: database.networkId, request_id: randomBytes(16).toString('hex'), challenge_id: null,
  requested_at: expiresAt, client_id: client.id, scope: 'a', granted_scope: 'a', requested_audience: '', granted_audience: '',
  form_data: '', session_data: '{"subject":"bench"}', subject: 'bench', active: true, expires_at: expiresAt
})
let started = performance.now()
const chunk = database.dialect === 'sqlite' ? 2000 : 1000
for (let done = 0; done < ROWS; done += chunk * 10) {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < 10 && done + i * chunk < ROWS; i++) {
      await trx.insertInto('hydra_oauth2_access').values(Array.from({ length: Math.min(chunk, ROWS - done - i * chunk) }, () => row(expired))).execute()
    }
  })
}
const liveRow = row(live)
await db.insertInto('hydra_oauth2_access').values(liveRow).execute()
process.stdout.write(`${database.dialect}: inserted ${ROWS} expired rows in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)

// A probe that looks up the live row every 5 ms while the janitor runs: its worst wait is what the server would see.
const store = new SqlTokensStore(database)
let worstProbeMs = 0
let probes = 0
let running = true
const probe = (async () => {
  while (running) {
    const at = performance.now()
    await store.findAccess(liveRow.signature)
    worstProbeMs = Math.max(worstProbeMs, performance.now() - at)
    probes++
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
})()
let worstBatchMs = 0
const timed = { deleteExpiredBatch: async (table: 'access' | 'refresh' | 'code', before: Date, size: number) => {
  const at = performance.now()
  const n = await store.deleteExpiredBatch(table, before, size)
  worstBatchMs = Math.max(worstBatchMs, performance.now() - at)
  return n
} }
started = performance.now()
const result = await flushExpiredTokens(timed, { expiredBefore: new Date(), limit: ROWS, batchSize: Number(process.env.BATCH ?? 100) })
const seconds = (performance.now() - started) / 1000
running = false
await probe
const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM hydra_oauth2_access`.execute(database.db)
process.stdout.write(`${database.dialect}: deleted ${result.access} rows in ${seconds.toFixed(1)} s (${Math.round(result.access / seconds)} rows/s), ` +
  `worst batch ${worstBatchMs.toFixed(1)} ms; ${probes} concurrent lookups, worst ${worstProbeMs.toFixed(1)} ms; rows left ${rows[0]?.n}\n`)
await database.close()
