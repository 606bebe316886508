// One measured scenario: warm-up, N rounds of autocannon (or the code-flow driver), medians, failures, peak RSS.
import autocannon, { type AutocannonOptions, type AutocannonRequest, type AutocannonResult } from 'autocannon'
import { loadCodeFlows, type FlowTarget } from './code-flow-driver.js'
import { sampleRss, treeCpuMicros } from './processes.js'

export interface LoadSettings {
  connections: number
  warmupS: number
  durationS: number
  rounds: number
}

/** What to send: a fixed request, or per-run `requests` (dynamic bodies, response hooks) from a factory. */
export interface HttpLoad {
  kind: 'http'
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  requests?: () => AutocannonRequest[]
  /** Runs before every autocannon run (e.g. topping up a pool of refresh tokens). */
  before?: (connections: number) => Promise<void>
}

export interface FlowLoad {
  kind: 'flows'
  target: FlowTarget
  scope: string
}

export interface Measurement {
  /** Median over rounds of requests (or completed flows) per second. */
  rps: number
  /** Median over rounds of the per-round latency percentiles, ms. */
  p50: number
  p99: number
  /** Median over rounds of the server's CPU time per request (or per flow), µs; 1e6 / this = req/s on a free core. */
  cpuUsPerRequest: number
  rounds: Array<{ rps: number, p50: number, p99: number, cpuUsPerRequest: number }>
  /** Responses other than 2xx plus connection errors and timeouts, over warm-up and rounds. */
  failures: number
  firstFailure?: string
  /** Peak resident memory of the server's process tree during the scenario, bytes. */
  peakRssBytes: number
  /** Access tokens sampled from responses (code flows), for the spot check. */
  samples: string[]
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] as number : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

function failuresOf (result: AutocannonResult): number {
  return result.non2xx + result.errors + result.timeouts
}

function describeFailure (result: AutocannonResult): string {
  const codes = Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => `${code}×${stats.count}`).join(' ')
  return `non-2xx ${result.non2xx} (${codes}), errors ${result.errors}, timeouts ${result.timeouts}`
}

/** Runs autocannon once; `durationS` or `amount` bounds it. */
export async function cannon (load: HttpLoad, connections: number, bound: { durationS?: number, amount?: number }): Promise<AutocannonResult> {
  await load.before?.(connections)
  const options: AutocannonOptions = {
    url: load.url,
    connections,
    method: load.method ?? 'GET',
    ...(load.headers === undefined ? {} : { headers: load.headers }),
    ...(load.body === undefined ? {} : { body: load.body }),
    ...(load.requests === undefined ? {} : { requests: load.requests() }),
    ...(bound.amount === undefined ? { duration: bound.durationS ?? 10 } : { amount: bound.amount })
  }
  return await autocannon(options)
}

async function measureHttp (load: HttpLoad, settings: LoadSettings, serverPid: number): Promise<Measurement> {
  const warmup = await cannon(load, settings.connections, { durationS: settings.warmupS })
  let failures = failuresOf(warmup)
  let firstFailure = failures > 0 ? `warm-up: ${describeFailure(warmup)}` : undefined
  const memory = sampleRss(serverPid)
  const rounds: Measurement['rounds'] = []
  for (let round = 0; round < settings.rounds; round++) {
    const cpuBefore = treeCpuMicros(serverPid)
    const result = await cannon(load, settings.connections, { durationS: settings.durationS })
    const cpuUsPerRequest = (treeCpuMicros(serverPid) - cpuBefore) / Math.max(1, result.requests.total)
    rounds.push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUsPerRequest })
    if (failuresOf(result) > 0) {
      failures += failuresOf(result)
      firstFailure ??= `round ${round + 1}: ${describeFailure(result)}`
    }
  }
  return summarise(rounds, failures, firstFailure, memory.stop(), [])
}

async function measureFlows (load: FlowLoad, settings: LoadSettings, serverPid: number): Promise<Measurement> {
  const warmup = await loadCodeFlows(load.target, settings.connections, settings.warmupS * 1000, load.scope)
  let failures = warmup.failed
  let firstFailure = warmup.firstError === undefined ? undefined : `warm-up: ${warmup.firstError}`
  const memory = sampleRss(serverPid)
  const rounds: Measurement['rounds'] = []
  const samples: string[] = []
  for (let round = 0; round < settings.rounds; round++) {
    const cpuBefore = treeCpuMicros(serverPid)
    const result = await loadCodeFlows(load.target, settings.connections, settings.durationS * 1000, load.scope)
    const cpuUsPerRequest = (treeCpuMicros(serverPid) - cpuBefore) / Math.max(1, result.completed)
    rounds.push({ rps: result.flowsPerSecond, p50: result.p50, p99: result.p99, cpuUsPerRequest })
    samples.push(...result.samples)
    failures += result.failed
    if (result.firstError !== undefined) firstFailure ??= `round ${round + 1}: ${result.firstError}`
  }
  return summarise(rounds, failures, firstFailure, memory.stop(), samples)
}

function summarise (rounds: Measurement['rounds'], failures: number, firstFailure: string | undefined, peakRssBytes: number, samples: string[]): Measurement {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    cpuUsPerRequest: median(rounds.map((r) => r.cpuUsPerRequest)),
    rounds,
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
    peakRssBytes,
    samples
  }
}

export async function measure (load: HttpLoad | FlowLoad, settings: LoadSettings, serverPid: number): Promise<Measurement> {
  return load.kind === 'http' ? await measureHttp(load, settings, serverPid) : await measureFlows(load, settings, serverPid)
}

/**
 * Requests that remember every `every`-th response's `field` (up to `max`), so tokens minted under load can be
 * checked afterwards; the body is only parsed for those responses.
 */
export function sampling (request: AutocannonRequest, field: string, into: string[], every = 1000, max = 20): () => AutocannonRequest[] {
  let seen = 0
  return () => [{
    ...request,
    onResponse: (status, body) => {
      seen++
      if (status === 200 && seen % every === 1 && into.length < max) {
        const value = (JSON.parse(body) as Record<string, unknown>)[field]
        if (typeof value === 'string') into.push(value)
      }
    }
  }]
}
