// Builds one listener's fastify app with the middleware order of hydra-api.md §1.1; public-app/admin-app wrap it.
import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { WireOptions } from '../errors/wire.js'
import type { HttpAppDeps, ListenerName } from './app-deps.js'
import { isListenerWide, type RouteRegistrar } from './route-module.js'
import { decideTlsMode, isUnixSocketHost } from './tls-mode.js'
import { installBodyParsers } from './plugins/body-parsers.js'
import { installCacheControl } from './plugins/cache-control.js'
import { frameworkErrorHandler, installErrorHandling } from './plugins/error-handler.js'
import { installHttpMetrics } from './plugins/metrics.js'
import { installRequestLog } from './plugins/request-log.js'
import { installTlsTerminationGuard } from './plugins/tls-termination.js'
import { rewriteRequestUrl } from './plugins/url-rewrite.js'

// Client ids and key ids travel as path parameters and may be long.
const MAX_PARAM_LENGTH = 2048

/** The trusted proxy CIDRs when this listener runs the TLS-termination guard, else undefined. */
export function terminationGuardFor (deps: HttpAppDeps, listener: ListenerName): readonly string[] | undefined {
  if (deps.tlsTermination !== undefined) return deps.tlsTermination === false ? undefined : deps.tlsTermination.trustedProxies
  try {
    const isUnixSocket = isUnixSocketHost(deps.config.serve[listener].host)
    const decision = decideTlsMode(deps.config, listener, { forceHttp: false, isUnixSocket })
    return decision.mode === 'termination' ? decision.trustedProxies : undefined
  } catch {
    return undefined // a TLS misconfiguration; startServers reports it
  }
}

export function buildListenerApp (deps: HttpAppDeps, listener: ListenerName, routes: readonly RouteRegistrar[]): FastifyInstance {
  const { config } = deps
  const wire: WireOptions = { exposeDebug: config.oauth2.expose_internal_errors, legacy: config.oauth2.include_legacy_error_fields }
  const isAdmin = listener === 'admin'
  const app = Fastify({
    loggerInstance: deps.logger.child({ listener }) as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.serve.max_request_body_bytes,
    // Runs before routing: strip trailing '/', then (admin) the internal '/admin' prefix rewrite.
    rewriteUrl: (req) => rewriteRequestUrl(req.url ?? '/', { isAdmin }),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, caseSensitive: true },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    frameworkErrors: frameworkErrorHandler(wire)
  })

  installErrorHandling(app, wire)
  installBodyParsers(app, { maxBodyBytes: config.serve.max_request_body_bytes })
  // Hooks run in this order: Cache-Control, metrics, request log, TLS-termination guard, then the route.
  installCacheControl(app)
  installHttpMetrics(app, deps.metrics)
  installRequestLog(app, { logger: deps.logger, listener, config })
  const trustedProxies = terminationGuardFor(deps, listener)
  if (trustedProxies !== undefined) installTlsTerminationGuard(app, { trustedProxies, wire })

  for (const registrar of routes) {
    void app.register(isListenerWide(registrar) ? registrar : async (scope) => { await registrar(scope) })
  }
  return app
}
