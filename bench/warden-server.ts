// Runs Warden for the benchmark as `warden serve all` in its own pinned process, and prepares clients and keys.
import type { ChildProcess } from 'node:child_process'
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { sendJson } from './http-client.js'
import { spawnPinned, stopProcess, waitForHttp } from './processes.js'
import type { FlowTarget } from './code-flow-driver.js'

const WARDEN_BIN = fileURLToPath(new URL('../../bin/warden.js', import.meta.url))
const SYSTEM_SECRET = 'bench-system-secret-0123456789abcdef'

export const BENCH_SCOPE = 'api:read api:write'
export const OPAQUE_CLIENT = { id: 'bench-opaque', secret: 'bench-secret-bench-secret' }
export const JWT_CLIENT = { id: 'bench-jwt', secret: 'bench-secret-bench-secret' }
export const FLOW_CLIENT = { id: 'bench-flow', secret: 'bench-secret-bench-secret', redirectUri: 'http://127.0.0.1:9/callback' }

export interface WardenProcess {
  child: ChildProcess
  pid: number
  publicUrl: string
  adminUrl: string
  stop(): Promise<number | null>
}

/** `warden migrate sql up <dsn> --yes`, as an operator would before the first start. */
export function migrate (dsn: string): void {
  const result = spawnSync(process.execPath, [WARDEN_BIN, 'migrate', 'sql', 'up', dsn, '--yes'], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`warden migrate sql up failed:\n${result.stdout}${result.stderr}`)
}

export interface StartOptions {
  dsn: string
  publicPort: number
  adminPort: number
  cpus: string | undefined
  workers?: number
}

export async function startWarden (options: StartOptions): Promise<WardenProcess> {
  const publicUrl = `http://127.0.0.1:${options.publicPort}/`
  const adminUrl = `http://127.0.0.1:${options.adminPort}/`
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    DSN: options.dsn,
    SECRETS_SYSTEM: SYSTEM_SECRET,
    LOG_LEVEL: 'warn',
    SERVE_PUBLIC_HOST: '127.0.0.1',
    SERVE_ADMIN_HOST: '127.0.0.1',
    SERVE_PUBLIC_PORT: String(options.publicPort),
    SERVE_ADMIN_PORT: String(options.adminPort),
    URLS_SELF_ISSUER: publicUrl,
    // The in-bench login/consent app reads the challenge from the redirect and never loads these pages.
    URLS_LOGIN: 'http://127.0.0.1:9/login',
    URLS_CONSENT: 'http://127.0.0.1:9/consent',
    ...(options.workers === undefined ? {} : { SERVE_WORKERS: String(options.workers) })
  }
  // BENCH_CPU_PROF=<dir>: each Warden process writes a V8 CPU profile there when it stops (see docs/performance.md).
  const profileDir = process.env['BENCH_CPU_PROF']
  const profiling = profileDir === undefined || profileDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]
  const child = spawnPinned(options.cpus, process.execPath, [...profiling, WARDEN_BIN, 'serve', 'all', '--dangerous-force-http', '--no-ui'], env)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000) })
  child.stderr?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000) })
  try {
    await waitForHttp(`${adminUrl}health/ready`, 60_000, child)
    await waitForHttp(`${publicUrl}health/ready`, 10_000, child)
  } catch (error) {
    await stopProcess(child, 1000)
    throw new Error(`${(error as Error).message}\n${output}`)
  }
  return { child, pid: child.pid as number, publicUrl, adminUrl, stop: async () => await stopProcess(child) }
}

function rsaJwk (kid: string, bits: number): Record<string, unknown> {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ format: 'jwk' })
  return { ...jwk, kid, alg: 'RS256', use: 'sig' }
}

/**
 * Clients for every scenario, and RS256 keys of `rsaBits` bits in both signing sets (Hydra generates 4096-bit
 * keys; the peer and the research figures use 2048, so the comparison uses 2048 unless BENCH_RSA_BITS says otherwise).
 */
export async function prepareWarden (warden: WardenProcess, rsaBits: number): Promise<FlowTarget> {
  const clients = `${warden.adminUrl}admin/clients`
  const existing = await sendJson(`${clients}/${OPAQUE_CLIENT.id}`, 'GET').catch(() => undefined)
  if (existing === undefined) {
    for (const [client, strategy] of [[OPAQUE_CLIENT, 'opaque'], [JWT_CLIENT, 'jwt']] as const) {
      await sendJson(clients, 'POST', {
        client_id: client.id,
        client_secret: client.secret,
        grant_types: ['client_credentials'],
        scope: BENCH_SCOPE,
        token_endpoint_auth_method: 'client_secret_basic',
        access_token_strategy: strategy
      })
    }
    await sendJson(clients, 'POST', {
      client_id: FLOW_CLIENT.id,
      client_secret: FLOW_CLIENT.secret,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [FLOW_CLIENT.redirectUri],
      scope: 'openid offline_access',
      token_endpoint_auth_method: 'client_secret_basic'
    })
    for (const set of ['hydra.openid.id-token', 'hydra.jwt.access-token']) {
      const kid = `bench-rs256-${rsaBits}`
      await sendJson(`${warden.adminUrl}admin/keys/${set}/${kid}`, 'PUT', rsaJwk(kid, rsaBits))
    }
  }
  return { publicUrl: warden.publicUrl, adminUrl: warden.adminUrl, client: FLOW_CLIENT }
}

/** Adds an ES256 key to hydra.jwt.access-token; the newest key signs (hydra-api.md §5.3). */
export async function addEs256AccessTokenKey (warden: WardenProcess): Promise<void> {
  await sendJson(`${warden.adminUrl}admin/keys/hydra.jwt.access-token`, 'POST', { alg: 'ES256', use: 'sig', kid: 'bench-es256' })
}
