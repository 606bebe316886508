// Drives whole authorization-code flows (8 Hydra requests each) as a browser plus a login/consent app would.
//
//   GET /oauth2/auth ─► GET+PUT login (admin) ─► GET /oauth2/auth?login_verifier ─► GET+PUT consent (admin)
//   ─► GET /oauth2/auth?consent_verifier ─► 302 to the client with ?code ─► POST /oauth2/token (PKCE, client_secret_basic)
import { createHash, randomBytes } from 'node:crypto'
import { FORM, basicAuth, send, sendJson, type BenchResponse } from './http-client.js'

export interface FlowTarget {
  publicUrl: string
  adminUrl: string
  client: { id: string, secret: string, redirectUri: string }
}

export interface FlowTokens {
  accessToken: string
  refreshToken?: string
  idToken?: string
}

class CookieJar {
  readonly #cookies = new Map<string, string>()
  store (response: BenchResponse): void {
    const lines = response.headers['set-cookie'] ?? []
    for (const line of Array.isArray(lines) ? lines : [lines]) {
      const pair = line.split(';')[0] ?? ''
      const equals = pair.indexOf('=')
      this.#cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim())
    }
  }

  header (): string { return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
}

function location (response: BenchResponse, what: string): string {
  const target = response.headers.location
  if (response.status < 300 || response.status > 399 || typeof target !== 'string') {
    throw new Error(`${what}: expected a redirect, got ${response.status} ${response.body.slice(0, 300)}`)
  }
  return target
}

async function browse (url: string, jar: CookieJar, what: string): Promise<URL> {
  const response = await send(url, { headers: { cookie: jar.header() } })
  jar.store(response)
  return new URL(location(response, what), url)
}

function challengeOf (url: URL, kind: 'login' | 'consent'): string {
  const challenge = url.searchParams.get(`${kind}_challenge`)
  if (challenge === null) throw new Error(`expected a ${kind} challenge, got ${url.toString()}`)
  return challenge
}

/** One complete flow; throws on any unexpected answer (the benchmark counts it as a failure). */
export async function runCodeFlow (target: FlowTarget, scope: string): Promise<FlowTokens> {
  const jar = new CookieJar()
  const verifier = randomBytes(32).toString('base64url')
  const authorize = new URL('oauth2/auth', target.publicUrl)
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: target.client.id,
    redirect_uri: target.client.redirectUri,
    scope,
    state: randomBytes(12).toString('hex'),
    nonce: randomBytes(12).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256'
  }).toString()
  const requests = new URL('admin/oauth2/auth/requests/', target.adminUrl)

  const loginChallenge = challengeOf(await browse(authorize.toString(), jar, 'authorize'), 'login')
  const loginQuery = `login_challenge=${encodeURIComponent(loginChallenge)}`
  await sendJson(`${requests.toString()}login?${loginQuery}`, 'GET')
  const login = await sendJson(`${requests.toString()}login/accept?${loginQuery}`, 'PUT', { subject: 'bench-user', remember: false })

  const consentChallenge = challengeOf(await browse(String(login['redirect_to']), jar, 'after login'), 'consent')
  const consentQuery = `consent_challenge=${encodeURIComponent(consentChallenge)}`
  const consent = await sendJson(`${requests.toString()}consent?${consentQuery}`, 'GET')
  const accepted = await sendJson(`${requests.toString()}consent/accept?${consentQuery}`, 'PUT', {
    grant_scope: consent['requested_scope'] ?? [],
    grant_access_token_audience: consent['requested_access_token_audience'] ?? [],
    remember: false
  })

  const callback = await browse(String(accepted['redirect_to']), jar, 'after consent')
  const code = callback.searchParams.get('code')
  if (code === null) throw new Error(`expected a code at the client, got ${callback.toString()}`)
  const exchanged = await send(new URL('oauth2/token', target.publicUrl).toString(), {
    method: 'POST',
    headers: { 'content-type': FORM, authorization: basicAuth(target.client.id, target.client.secret) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: target.client.redirectUri, code_verifier: verifier }).toString()
  })
  if (exchanged.status !== 200) throw new Error(`code exchange: ${exchanged.status} ${exchanged.body}`)
  const tokens = JSON.parse(exchanged.body) as Record<string, string>
  return {
    accessToken: tokens['access_token'] ?? '',
    ...(tokens['refresh_token'] === undefined ? {} : { refreshToken: tokens['refresh_token'] }),
    ...(tokens['id_token'] === undefined ? {} : { idToken: tokens['id_token'] })
  }
}

export interface FlowLoadResult {
  completed: number
  failed: number
  firstError?: string
  flowsPerSecond: number
  /** Per-flow latency in ms. */
  p50: number
  p99: number
  /** A few access tokens minted during the run, for the "still active" spot check. */
  samples: string[]
}

function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p / 100))] as number
}

/** `connections` concurrent loops of whole flows for `durationMs`. */
export async function loadCodeFlows (target: FlowTarget, connections: number, durationMs: number, scope: string): Promise<FlowLoadResult> {
  const latencies: number[] = []
  const samples: string[] = []
  let failed = 0
  let firstError: string | undefined
  const started = performance.now()
  const deadline = started + durationMs
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const begun = performance.now()
      try {
        const tokens = await runCodeFlow(target, scope)
        latencies.push(performance.now() - begun)
        if (latencies.length % 500 === 1 && samples.length < 20) samples.push(tokens.accessToken)
      } catch (error) {
        failed++
        firstError ??= (error as Error).message
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, loop))
  const elapsedS = (performance.now() - started) / 1000
  const sorted = latencies.sort((a, b) => a - b)
  return {
    completed: latencies.length,
    failed,
    ...(firstError === undefined ? {} : { firstError }),
    flowsPerSecond: latencies.length / elapsedS,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    samples
  }
}
