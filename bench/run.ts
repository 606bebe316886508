// `npm run bench`: Warden (a separate `warden serve all` process pinned to CPU 0) against oidc-provider under the same load.
//
// Load generator (this process) on CPU 1, 20 connections, warm-up then 3 rounds, medians. Exits non-zero when any
// request failed, a sampled token is not active afterwards, or the memory check fails. See docs/performance.md.
// Knobs (env): BENCH_DURATION (s per round, 3.4: 3 rounds = 10.2 s measured per scenario), BENCH_WARMUP (s, 1), BENCH_ROUNDS (3), BENCH_CONNECTIONS (20),
// BENCH_LEAK_TOKENS (1000000; 0 skips), BENCH_RSA_BITS (2048), BENCH_SCENARIOS (comma list of ids), BENCH_PEER (0 skips),
// BENCH_CPU_PROF (directory for Warden CPU profiles), TEST_DATABASE_POSTGRESQL (also the database-bound scenarios on PostgreSQL).
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { testDialects } from '../test/support/databases.js'
import { freePort } from '../test/support/warden.js'
import { closeAgent } from './http-client.js'
import { measure, type LoadSettings, type Measurement } from './load.js'
import { checkMemory, probe, spotCheck, type LeakResult } from './checks.js'
import { hasTaskset, spawnPinned, stopProcess, waitForLine } from './processes.js'
import { SCENARIOS, WORKER_SCENARIOS, peerLoad, wardenLoads, type PeerFormat, type Scenario } from './scenarios.js'
import { addEs256AccessTokenKey, migrate, prepareWarden, startWarden } from './warden-server.js'
import { printTable, type Row } from './report.js'

// Two workers need more than 20 connections to be kept busy: measured 5.4k tokens/s with 20, 7.1k/s with 50 or 100.
const MEMORY_CHECK_CONNECTIONS = 50

const numberEnv = (name: string, fallback: number): number => {
  const value = process.env[name]
  return value === undefined || value === '' ? fallback : Number(value)
}

// Pin the load generator to CPU 1 by re-running this script under taskset (Node cannot set its own affinity).
if (hasTaskset && process.env['BENCH_PINNED'] !== '1' && cpus().length > 1) {
  const child = spawn('taskset', ['-c', '1', process.execPath, ...process.execArgv, fileURLToPath(import.meta.url)], {
    stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' }
  })
  child.on('exit', (code) => { process.exit(code ?? 1) })
} else {
  await main().then((code) => { process.exitCode = code }, (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`)
    process.exitCode = 1
  })
}

async function main (): Promise<number> {
  const settings: LoadSettings = {
    connections: numberEnv('BENCH_CONNECTIONS', 20),
    warmupS: numberEnv('BENCH_WARMUP', 1),
    durationS: numberEnv('BENCH_DURATION', 3.4),
    rounds: numberEnv('BENCH_ROUNDS', 3)
  }
  const only = process.env['BENCH_SCENARIOS']?.split(',').filter((id) => id !== '')
  const wanted = (scenario: Scenario): boolean => only === undefined || only.includes(scenario.id)
  const startedAt = new Date()
  // Other processes on the machine distort every figure (the server shares CPU 0 with them); say so in the output.
  const loadAtStart = loadavg()[0] ?? 0
  const serverCpus = hasTaskset && cpus().length > 1 ? '0' : undefined
  const rows: Row[] = []
  const problems: string[] = []
  let leak: LeakResult | undefined
  let spot = { checked: 0, inactive: 0 }
  process.stdout.write(`bench: ${settings.rounds} × ${settings.durationS} s after ${settings.warmupS} s warm-up, ${settings.connections} connections; ` +
    `server on CPU ${serverCpus ?? 'any'}, load generator on CPU ${hasTaskset ? '1' : 'any'}\n`)

  const dialects = testDialects().filter((entry) => entry.dialect === 'sqlite' || entry.dialect === 'postgres')
  for (const entry of dialects) {
    const isSqlite = entry.dialect === 'sqlite'
    const dsn = await entry.createFreshDsn()
    try {
      migrate(dsn)
      const warden = await startWarden({ dsn, publicPort: await freePort(), adminPort: await freePort(), cpus: serverCpus })
      const target = await prepareWarden(warden, numberEnv('BENCH_RSA_BITS', 2048))
      const loads = wardenLoads(target)
      for (const scenario of SCENARIOS.filter((s) => wanted(s) && (isSqlite || s.isOnPostgres))) {
        if (scenario.id === 'cc-es256') await addEs256AccessTokenKey(warden)
        const load = await loads.load(scenario.id)
        const unavailable = await probe(load)
        const row: Row = { id: scenario.id, title: scenario.title, database: entry.dialect, workers: 1 }
        if (unavailable !== undefined) {
          row.na = unavailable
        } else {
          row.warden = await measure(load, settings, warden.pid)
          reportProgress(row)
        }
        rows.push(row)
      }
      const leakTokens = isSqlite ? numberEnv('BENCH_LEAK_TOKENS', 1_000_000) : 0
      // With two CPUs the memory check runs on the 2-worker server below, where minting a million tokens takes about
      // half as long; its RSS is that of the whole process tree.
      const hasWorkerPhase = isSqlite && cpus().length > 1
      if (leakTokens > 0 && !hasWorkerPhase) leak = await checkMemory(target, warden.pid, leakTokens, settings.connections, loads.samples)
      if (isSqlite) spot = await spotCheck(target, [...loads.samples, ...rows.flatMap((r) => r.warden?.samples ?? []), ...loads.refreshPool])
      const exit = await warden.stop()
      if (exit !== 0) problems.push(`warden (${entry.dialect}) exited with ${String(exit)} on SIGTERM`)
      if (hasWorkerPhase) {
        const phase = await workerPhase(dsn, settings, wanted, leakTokens)
        rows.push(...phase.rows)
        leak = phase.leak ?? leak
        spot = { checked: spot.checked + phase.spot.checked, inactive: spot.inactive + phase.spot.inactive }
      }
    } finally {
      await entry.dropFreshDatabases()
    }
  }
  if (process.env['BENCH_PEER'] !== '0') await measurePeer(rows, settings, serverCpus, wanted)
  closeAgent()

  for (const row of rows) {
    for (const [who, measurement] of [['warden', row.warden], ['peer', row.peer]] as const) {
      if (measurement !== undefined && measurement.failures > 0) problems.push(`${row.title} (${row.database}, ${who}): ${measurement.firstFailure ?? ''}`)
    }
  }
  if (spot.inactive > 0) problems.push(`${spot.inactive} of ${spot.checked} sampled tokens did not introspect as active`)
  if (leak !== undefined && !leak.isWithinBound) problems.push(`memory: RSS grew ${leak.ratio.toFixed(2)}× between ${leak.firstTokens} and ${leak.tokens} tokens (bound 1.5×)`)

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    taskset: hasTaskset,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] ?? 0 }
  }
  printTable(rows, { machine, settings, leak, spot, elapsedS: (Date.now() - startedAt.getTime()) / 1000 })
  const folder = fileURLToPath(new URL('../../bench/results/', import.meta.url))
  mkdirSync(folder, { recursive: true })
  const file = `${folder}${startedAt.toISOString().slice(0, 19).replaceAll(':', '-')}.json`
  writeFileSync(file, `${JSON.stringify({ startedAt, machine, settings, rows: rows.map(stripSamples), leak, spotCheck: spot, problems }, null, 2)}\n`)
  process.stdout.write(`results written to ${file}\n`)
  for (const problem of problems) process.stderr.write(`FAILED: ${problem}\n`)
  return problems.length === 0 ? 0 : 1
}

function stripSamples (row: Row): unknown {
  const strip = (m: Measurement | undefined): unknown => m === undefined ? undefined : { ...m, samples: undefined }
  return { ...row, warden: strip(row.warden), peer: strip(row.peer) }
}

function reportProgress (row: Row): void {
  const m = row.warden ?? row.peer
  if (m === undefined) return
  process.stdout.write(`  ${row.peer === undefined ? 'warden' : 'peer  '} ${row.database.padEnd(8)} ${row.title.padEnd(48)} ${m.rps.toFixed(0).padStart(7)}/s  p99 ${m.p99.toFixed(1)} ms  ` +
    `${m.cpuUsPerRequest.toFixed(0)} µs CPU/req${m.failures > 0 ? `  FAILURES ${m.failures}: ${m.firstFailure ?? ''}` : ''}\n`)
}

/**
 * 1 vs 2 worker processes (serve.workers=2), both CPUs for the server; the load generator shares CPU 1. Then the
 * memory check, on the same server.
 */
async function workerPhase (dsn: string, settings: LoadSettings, wanted: (s: Scenario) => boolean, leakTokens: number): Promise<{ rows: Row[], leak?: LeakResult, spot: { checked: number, inactive: number } }> {
  const scenarios = WORKER_SCENARIOS.filter(wanted)
  const rows: Row[] = []
  if (scenarios.length === 0 && leakTokens === 0) return { rows, spot: { checked: 0, inactive: 0 } }
  const warden = await startWarden({ dsn, publicPort: await freePort(), adminPort: await freePort(), cpus: hasTaskset ? '0,1' : undefined, workers: 2 })
  try {
    const target = await prepareWarden(warden, numberEnv('BENCH_RSA_BITS', 2048))
    const loads = wardenLoads(target)
    for (const scenario of scenarios) {
      const row: Row = { id: scenario.id, title: scenario.title, database: 'sqlite', workers: 2 }
      row.warden = await measure(await loads.load(scenario.id), settings, warden.pid)
      reportProgress(row)
      rows.push(row)
    }
    if (leakTokens === 0) return { rows, spot: { checked: 0, inactive: 0 } }
    const samples: string[] = []
    const leak = await checkMemory(target, warden.pid, leakTokens, MEMORY_CHECK_CONNECTIONS, samples)
    return { rows, leak, spot: await spotCheck(target, samples) }
  } finally {
    await warden.stop()
  }
}

async function measurePeer (rows: Row[], settings: LoadSettings, serverCpus: string | undefined, wanted: (s: Scenario) => boolean): Promise<void> {
  const peerScript = fileURLToPath(new URL('./peer-oidc-provider.js', import.meta.url))
  for (const format of ['opaque', 'RS256', 'ES256'] as const satisfies readonly PeerFormat[]) {
    const scenarios = SCENARIOS.filter((s) => s.peerFormat === format && wanted(s))
    if (scenarios.length === 0) continue
    const port = await freePort()
    const peer = spawnPinned(serverCpus, process.execPath, [peerScript, String(port), format], { ...process.env, NODE_ENV: 'production' })
    try {
      await waitForLine(peer, /ready \d+/, 30_000)
      for (const scenario of scenarios) {
        const measurement = await measure(await peerLoad(scenario.id, `http://127.0.0.1:${port}/`), settings, peer.pid as number)
        for (const row of rows.filter((r) => r.id === scenario.id && r.workers === 1)) row.peer = measurement
        reportProgress({ id: scenario.id, title: scenario.title, database: 'memory', workers: 1, peer: measurement })
      }
    } finally {
      await stopProcess(peer, 2000)
    }
  }
}
