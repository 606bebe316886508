// The shape every domain's route file exports: a function that registers its routes on one listener's app.
import type { FastifyInstance } from 'fastify'

/**
 * Admin routes register their canonical `/admin/...` path (the admin listener rewrites un-prefixed paths);
 * public routes use their plain path, without a trailing '/' (requests have it stripped before routing).
 * Each registrar runs in its own fastify scope, so its hooks and parsers stay local.
 */
export type RouteRegistrar = (app: FastifyInstance) => void | Promise<void>

// fastify's own marker (what fastify-plugin sets) for "do not encapsulate this plugin".
const SKIP_OVERRIDE = Symbol.for('skip-override')

/**
 * Marks a registrar whose hooks must apply to the whole listener (e.g. listener-wide CORS). It runs after the
 * built-in hooks (Cache-Control, metrics, request log, TLS-termination guard), as in hydra-api.md §1.1.
 */
export function listenerWide (registrar: RouteRegistrar): RouteRegistrar {
  const wrapped: RouteRegistrar = async (app) => { await registrar(app) }
  Object.defineProperty(wrapped, SKIP_OVERRIDE, { value: true })
  return wrapped
}

export function isListenerWide (registrar: RouteRegistrar): boolean {
  return (registrar as unknown as Record<symbol, unknown>)[SKIP_OVERRIDE] === true
}
