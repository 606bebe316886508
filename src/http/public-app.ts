// The public listener's app (default :4444): OAuth2/OIDC endpoints plus /health/*.
import type { FastifyInstance } from 'fastify'
import type { HttpAppDeps } from './app-deps.js'
import { buildListenerApp } from './build-app.js'
import { healthPublicRoutes } from './health.routes.js'
import type { RouteRegistrar } from './route-module.js'

/** Not listening yet: servers.ts binds it, tests may `inject()`. */
export function buildPublicApp (deps: HttpAppDeps, registrars: readonly RouteRegistrar[]): FastifyInstance {
  return buildListenerApp(deps, 'public', [healthPublicRoutes(deps), ...registrars])
}
