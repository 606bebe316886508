// The admin listener's app (default :4445): every route lives under /admin and is also reached without it.
import type { FastifyInstance } from 'fastify'
import type { HttpAppDeps } from './app-deps.js'
import { buildListenerApp } from './build-app.js'
import { healthAdminRoutes } from './health.routes.js'
import type { RouteRegistrar } from './route-module.js'

/** Not listening yet: servers.ts binds it, tests may `inject()`. Registrars use canonical `/admin/...` paths. */
export function buildAdminApp (deps: HttpAppDeps, registrars: readonly RouteRegistrar[]): FastifyInstance {
  return buildListenerApp(deps, 'admin', [healthAdminRoutes(deps), ...registrars])
}
