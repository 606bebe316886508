// The benchmark's scenarios: what each sends to Warden and to the peer (oidc-provider), and how tokens are sampled.
import type { AutocannonRequest } from 'autocannon'
import { runCodeFlow, type FlowTarget } from './code-flow-driver.js'
import { FORM, basicAuth, send } from './http-client.js'
import { sampling, type FlowLoad, type HttpLoad } from './load.js'
import { BENCH_SCOPE, JWT_CLIENT, OPAQUE_CLIENT } from './warden-server.js'
import { PEER_CLIENT } from './peer-oidc-provider-client.js'

export type PeerFormat = 'opaque' | 'ES256' | 'RS256'

export interface Scenario {
  id: string
  title: string
  /** The peer process this scenario needs, or undefined when the peer has no comparable endpoint. */
  peerFormat?: PeerFormat
  /** Also measured on PostgreSQL when TEST_DATABASE_POSTGRESQL is set. */
  isOnPostgres: boolean
}

export const SCENARIOS: readonly Scenario[] = [
  { id: 'cc-opaque', title: 'client_credentials, opaque token', peerFormat: 'opaque', isOnPostgres: true },
  { id: 'introspect', title: 'introspection, opaque token', peerFormat: 'opaque', isOnPostgres: true },
  { id: 'discovery', title: 'discovery document', peerFormat: 'opaque', isOnPostgres: false },
  { id: 'jwks', title: 'JWKS', peerFormat: 'opaque', isOnPostgres: false },
  { id: 'cc-rs256', title: 'client_credentials, JWT RS256', peerFormat: 'RS256', isOnPostgres: false },
  { id: 'cc-es256', title: 'client_credentials, JWT ES256', peerFormat: 'ES256', isOnPostgres: false },
  { id: 'refresh', title: 'refresh_token grant (rotating)', isOnPostgres: true },
  { id: 'code-flow', title: 'authorization-code flows/s (8 requests each)', isOnPostgres: true }
]

export const WORKER_SCENARIOS: readonly Scenario[] = [
  { id: 'cc-opaque', title: 'client_credentials, opaque — 2 workers', isOnPostgres: false },
  { id: 'introspect', title: 'introspection — 2 workers', isOnPostgres: false }
]

const tokenRequest = (url: string, client: { id: string, secret: string }): AutocannonRequest => ({
  method: 'POST',
  path: new URL(url).pathname,
  headers: { 'content-type': FORM, authorization: basicAuth(client.id, client.secret) },
  body: `grant_type=client_credentials&scope=${encodeURIComponent(BENCH_SCOPE.split(' ')[0] as string)}`
})

function httpLoad (url: string, request: AutocannonRequest, requests?: () => AutocannonRequest[]): HttpLoad {
  return {
    kind: 'http',
    url,
    method: request.method === 'POST' ? 'POST' : 'GET',
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(requests === undefined ? {} : { requests })
  }
}

/** Mints one opaque token (the introspection scenarios introspect it over and over). */
export async function mintToken (tokenUrl: string, client: { id: string, secret: string }): Promise<string> {
  const request = tokenRequest(tokenUrl, client)
  const response = await send(tokenUrl, { method: 'POST', headers: request.headers as Record<string, string>, body: request.body as string })
  if (response.status !== 200) throw new Error(`minting a token at ${tokenUrl}: ${response.status} ${response.body}`)
  return (JSON.parse(response.body) as { access_token: string }).access_token
}

export interface WardenLoads {
  /** Access tokens sampled from responses under load, introspected at the end. */
  samples: string[]
  /** Refresh tokens still unused when the refresh scenario ends (each must introspect active). */
  refreshPool: string[]
  load(id: string): Promise<HttpLoad | FlowLoad>
}

export function wardenLoads (target: FlowTarget): WardenLoads {
  const tokenUrl = new URL('oauth2/token', target.publicUrl).toString()
  const samples: string[] = []
  const refreshPool: string[] = []
  return {
    samples,
    refreshPool,
    async load (id) {
      switch (id) {
        case 'cc-opaque': {
          const request = tokenRequest(tokenUrl, OPAQUE_CLIENT)
          return httpLoad(tokenUrl, request, sampling(request, 'access_token', samples))
        }
        case 'cc-rs256': case 'cc-es256': {
          const request = tokenRequest(tokenUrl, JWT_CLIENT)
          return httpLoad(tokenUrl, request, sampling(request, 'access_token', samples, 1000, samples.length + 10))
        }
        case 'introspect': {
          const url = new URL('admin/oauth2/introspect', target.adminUrl).toString()
          const token = await mintToken(tokenUrl, OPAQUE_CLIENT)
          return httpLoad(url, { method: 'POST', headers: { 'content-type': FORM }, body: `token=${encodeURIComponent(token)}` })
        }
        case 'discovery': return httpLoad(new URL('.well-known/openid-configuration', target.publicUrl).toString(), { method: 'GET' })
        case 'jwks': return httpLoad(new URL('.well-known/jwks.json', target.publicUrl).toString(), { method: 'GET' })
        case 'refresh': return await refreshLoad(target, tokenUrl, refreshPool)
        case 'code-flow': return { kind: 'flows', target, scope: 'openid offline_access' }
        default: throw new Error(`unknown scenario ${id}`)
      }
    }
  }
}

/**
 * A shared pool of refresh tokens: each request takes one, each answer puts the rotated one back, so every
 * connection follows a chain and no refresh token is ever used twice (reuse would revoke the chain). Requests still
 * in flight when a run stops lose their chain (autocannon drops their answers), so the pool is topped up with new
 * code flows to twice the connections before every run.
 */
async function refreshLoad (target: FlowTarget, tokenUrl: string, pool: string[]): Promise<HttpLoad> {
  const topUp = async (connections: number): Promise<void> => {
    const missing = Math.max(0, 2 * connections - pool.length)
    const seeds = await Promise.all(Array.from({ length: missing }, async () => await runCodeFlow(target, 'offline_access')))
    pool.push(...seeds.map((tokens) => tokens.refreshToken ?? ''))
  }
  const headers = { 'content-type': FORM, authorization: basicAuth(target.client.id, target.client.secret) }
  const request: AutocannonRequest = { method: 'POST', path: new URL(tokenUrl).pathname, headers, body: '' }
  const load = httpLoad(tokenUrl, request, () => [{
    ...request,
    setupRequest: (req) => ({ ...req, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(pool.shift() ?? 'pool-empty')}` }),
    onResponse: (status, body) => {
      if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token)
    }
  }])
  return { ...load, before: topUp }
}

/** The peer's equivalent of a scenario (its paths: /token, /token/introspection, /jwks). */
export async function peerLoad (id: string, peerUrl: string): Promise<HttpLoad> {
  const tokenUrl = new URL('token', peerUrl).toString()
  const client = { id: PEER_CLIENT.id, secret: PEER_CLIENT.secret }
  switch (id) {
    case 'cc-opaque': case 'cc-rs256': case 'cc-es256': return httpLoad(tokenUrl, tokenRequest(tokenUrl, client))
    case 'introspect': {
      const token = await mintToken(tokenUrl, client)
      const url = new URL('token/introspection', peerUrl).toString()
      return httpLoad(url, { method: 'POST', headers: { 'content-type': FORM, authorization: basicAuth(client.id, client.secret) }, body: `token=${encodeURIComponent(token)}` })
    }
    case 'discovery': return httpLoad(new URL('.well-known/openid-configuration', peerUrl).toString(), { method: 'GET' })
    case 'jwks': return httpLoad(new URL('jwks', peerUrl).toString(), { method: 'GET' })
    default: throw new Error(`the peer has no scenario ${id}`)
  }
}
