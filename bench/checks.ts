// The benchmark's correctness checks: is the endpoint there, do minted tokens stay active, does memory stay flat.
import { runCodeFlow, type FlowTarget } from './code-flow-driver.js'
import { FORM, send } from './http-client.js'
import { cannon, sampling, type FlowLoad, type HttpLoad } from './load.js'
import { treeRss } from './processes.js'
import { OPAQUE_CLIENT, BENCH_SCOPE } from './warden-server.js'
import { basicAuth } from './http-client.js'

/** undefined when the scenario can run; otherwise why it is "n/a" (an endpoint that is not implemented yet). */
export async function probe (load: HttpLoad | FlowLoad): Promise<string | undefined> {
  if (load.kind === 'flows') {
    const authorize = await send(new URL('oauth2/auth', load.target.publicUrl).toString())
    if (authorize.status === 404) return 'n/a (flow engine not landed)'
    await runCodeFlow(load.target, load.scope)
    return undefined
  }
  if (load.requests !== undefined) return undefined
  const response = await send(load.url, {
    method: load.method ?? 'GET',
    ...(load.headers === undefined ? {} : { headers: load.headers }),
    ...(load.body === undefined ? {} : { body: load.body })
  })
  if (response.status === 404 || response.status === 405) return `n/a (${new URL(load.url).pathname} not implemented)`
  return undefined
}

/** Introspects every sampled token at the admin API; each must be active. */
export async function spotCheck (target: FlowTarget, tokens: readonly string[]): Promise<{ checked: number, inactive: number }> {
  let inactive = 0
  const url = new URL('admin/oauth2/introspect', target.adminUrl).toString()
  for (const token of new Set(tokens)) {
    const response = await send(url, { method: 'POST', headers: { 'content-type': FORM }, body: `token=${encodeURIComponent(token)}` })
    const isActive = response.status === 200 && (JSON.parse(response.body) as { active?: boolean }).active === true
    if (!isActive) inactive++
  }
  return { checked: new Set(tokens).size, inactive }
}

export interface LeakResult {
  tokens: number
  firstTokens: number
  rssAfterFirstBytes: number
  rssAfterAllBytes: number
  ratio: number
  isWithinBound: boolean
  failures: number
  seconds: number
}

/** Mints `tokens` opaque tokens; RSS after all of them must stay within 1.5× of RSS after the first tenth. */
export async function checkMemory (target: FlowTarget, pid: number, tokens: number, connections: number, samples: string[]): Promise<LeakResult> {
  const tokenUrl = new URL('oauth2/token', target.publicUrl).toString()
  const request = {
    method: 'POST',
    path: new URL(tokenUrl).pathname,
    headers: { 'content-type': FORM, authorization: basicAuth(OPAQUE_CLIENT.id, OPAQUE_CLIENT.secret) },
    body: `grant_type=client_credentials&scope=${encodeURIComponent(BENCH_SCOPE.split(' ')[0] as string)}`
  }
  const load: HttpLoad = { kind: 'http', url: tokenUrl, method: 'POST', requests: sampling(request, 'access_token', samples, 50_000, samples.length + 20) }
  const started = performance.now()
  const firstTokens = Math.max(1, Math.round(tokens / 10))
  process.stdout.write(`  memory check: minting ${tokens} tokens (RSS read after ${firstTokens} and at the end)\n`)
  const first = await cannon(load, connections, { amount: firstTokens })
  const rssAfterFirstBytes = treeRss(pid)
  const rest = tokens - firstTokens > 0 ? await cannon(load, connections, { amount: tokens - firstTokens }) : undefined
  const rssAfterAllBytes = treeRss(pid)
  const failures = first.non2xx + first.errors + (rest === undefined ? 0 : rest.non2xx + rest.errors)
  const ratio = rssAfterAllBytes / Math.max(1, rssAfterFirstBytes)
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(`  memory check: RSS ${(rssAfterFirstBytes / 2 ** 20).toFixed(0)} MB → ${(rssAfterAllBytes / 2 ** 20).toFixed(0)} MB (${ratio.toFixed(2)}×) in ${seconds.toFixed(0)} s\n`)
  return { tokens, firstTokens, rssAfterFirstBytes, rssAfterAllBytes, ratio, isWithinBound: ratio <= 1.5 && failures === 0, failures, seconds }
}
