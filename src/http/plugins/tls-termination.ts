// Guard for plain-HTTP listeners behind a TLS-terminating proxy (hydra-api.md §9.1, with a stricter peer check).
import type { TLSSocket } from 'node:tls'
import type { FastifyInstance } from 'fastify'
import { insecureHttp } from '../../errors/catalogue.js'
import type { WireOptions } from '../../errors/wire.js'
import { parseCidrList, type CidrList } from '../../lib/cidr.js'
import { sendError } from './error-handler.js'
import { normalisedPath } from './url-rewrite.js'

const EXEMPT_PATHS = new Set([
  '/health/alive', '/health/ready', '/metrics/prometheus',
  '/admin/health/alive', '/admin/health/ready', '/admin/metrics/prometheus'
])

export function isExemptFromTlsGuard (rawUrl: string, routedUrl: string): boolean {
  return EXEMPT_PATHS.has(normalisedPath(rawUrl)) || EXEMPT_PATHS.has(normalisedPath(routedUrl))
}

function headerList (value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '')
  return joined.split(',').map((part) => part.trim()).filter((part) => part !== '')
}

export interface ForwardedClient {
  /** The connecting peer is a trusted proxy. */
  isPeerTrusted: boolean
  /** Walking X-Forwarded-For from the right while hops are trusted: the first untrusted hop (the client). */
  clientAddress: string
}

/** Only hops appended by trusted proxies are believed; anything left of the first untrusted hop may be forged. */
export function resolveForwardedClient (peer: string, forwardedFor: string | string[] | undefined, trusted: CidrList): ForwardedClient {
  if (!trusted.contains(peer)) return { isPeerTrusted: false, clientAddress: peer }
  let client = peer
  const hops = headerList(forwardedFor)
  for (let i = hops.length - 1; i >= 0; i--) {
    client = hops[i] as string
    if (!trusted.contains(client)) break
  }
  return { isPeerTrusted: true, clientAddress: client }
}

/** Every X-Forwarded-Proto entry must say https: one "http" anywhere means some hop was plain. */
export function isForwardedProtoHttps (value: string | string[] | undefined): boolean {
  const entries = headerList(value)
  return entries.length > 0 && entries.every((entry) => entry.toLowerCase() === 'https')
}

export function installTlsTerminationGuard (app: FastifyInstance, options: { trustedProxies: readonly string[], wire: WireOptions }): void {
  const trusted = parseCidrList(options.trustedProxies)
  app.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw as typeof request.raw & { originalUrl?: string }
    const socket = raw.socket as Partial<TLSSocket>
    if (socket.encrypted === true || isExemptFromTlsGuard(raw.originalUrl ?? raw.url ?? '/', raw.url ?? '/')) {
      done()
      return
    }
    const forwarded = resolveForwardedClient(socket.remoteAddress ?? '', request.headers['x-forwarded-for'], trusted)
    if (forwarded.isPeerTrusted && isForwardedProtoHttps(request.headers['x-forwarded-proto'])) {
      done()
      return
    }
    void sendError(reply, insecureHttp(), options.wire)
  })
}
