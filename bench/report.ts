// Prints the benchmark table: scenario, Warden req/s, p50, p99, CPU per request, peak RSS, peer req/s, ratios.
import type { LoadSettings, Measurement } from './load.js'
import type { LeakResult } from './checks.js'

export interface Row {
  id: string
  title: string
  database: string
  workers: number
  warden?: Measurement
  peer?: Measurement
  /** Why the scenario did not run. */
  na?: string
}

export interface ReportContext {
  machine: Record<string, unknown>
  settings: LoadSettings
  leak: LeakResult | undefined
  spot: { checked: number, inactive: number }
  elapsedS: number
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`
const ms = (value: number): string => value.toFixed(value < 10 ? 1 : 0)

/** Markdown, so the same text goes into docs/performance.md. */
export function printTable (rows: readonly Row[], context: ReportContext): void {
  const lines = [
    '',
    '| Scenario | DB | Warden req/s | p50 ms | p99 ms | Warden CPU µs/req | Warden peak RSS | Peer req/s | Peer p99 ms | Peer CPU µs/req | Warden / peer (req/s) | Warden / peer (CPU) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
  ]
  for (const row of rows) {
    const { warden, peer } = row
    if (warden === undefined) {
      lines.push(`| ${row.title} | ${row.database} | ${row.na ?? 'n/a'} | | | | | ${peer === undefined ? 'n/a' : peer.rps.toFixed(0)} | | | | |`)
      continue
    }
    const failures = warden.failures > 0 ? ` (${warden.failures} FAILED)` : ''
    const peerCells = peer === undefined
      ? 'n/a | | | |'
      : `${peer.rps.toFixed(0)} | ${ms(peer.p99)} | ${peer.cpuUsPerRequest.toFixed(0)} | ${(warden.rps / peer.rps).toFixed(2)}× | ${(peer.cpuUsPerRequest / warden.cpuUsPerRequest).toFixed(2)}× |`
    lines.push(`| ${row.title} | ${row.database} | ${warden.rps.toFixed(0)}${failures} | ${ms(warden.p50)} | ${ms(warden.p99)} | ` +
      `${warden.cpuUsPerRequest.toFixed(0)} | ${mb(warden.peakRssBytes)} | ${peerCells}`)
  }
  const { machine, settings, leak, spot } = context
  lines.push('')
  const load = machine['loadAverage'] as { atStart: number, atEnd: number }
  lines.push(`Machine: ${String(machine['cpus'])} × ${String(machine['cpu'])}, ${String(machine['memoryGiB'])} GiB, Node ${String(machine['node'])}, Linux ${String(machine['kernel'])}; ` +
    `1-minute load average ${load.atStart.toFixed(1)} at the start, ${load.atEnd.toFixed(1)} at the end.`)
  // The benchmark itself keeps about 2 processes busy; much more means other work competed for the CPUs.
  if (Math.max(load.atStart, load.atEnd) > 3) {
    lines.push('WARNING: the machine was busy with other work during the run; req/s and CPU time are distorted. Re-run on a quiet machine before comparing.')
  }
  lines.push(`Load: autocannon, ${settings.connections} connections, ${settings.warmupS} s warm-up, median of ${settings.rounds} × ${settings.durationS} s; ` +
    `server pinned to CPU 0, load generator to CPU 1 (2-worker rows: server on CPUs 0-1, sharing CPU 1 with the load generator).`)
  if (leak !== undefined) {
    lines.push(`Memory: RSS ${mb(leak.rssAfterFirstBytes)} after ${leak.firstTokens} tokens, ${mb(leak.rssAfterAllBytes)} after ${leak.tokens} ` +
      `(${leak.ratio.toFixed(2)}×, bound 1.5×: ${leak.isWithinBound ? 'ok' : 'FAILED'}; ${leak.seconds.toFixed(0)} s).`)
  }
  lines.push('CPU µs/req: server CPU time (user + system, whole process tree) per request or per flow; 1e6 / it is the ' +
    'req/s the server would reach on a core of its own. "Warden / peer (CPU)" compares those, which stays meaningful when ' +
    'other processes compete for CPU 0 and req/s does not.')
  lines.push(`Spot check: ${spot.checked - spot.inactive} of ${spot.checked} sampled tokens introspect active. Total time ${context.elapsedS.toFixed(0)} s.`)
  process.stdout.write(`${lines.join('\n')}\n`)
}
