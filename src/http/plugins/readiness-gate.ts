// Answers 503 temporarily_unavailable on every non-health route until the database is prepared.
import type { FastifyInstance } from 'fastify'
import { temporarilyUnavailable } from '../../errors/catalogue.js'
import { listenerWide, type RouteRegistrar } from '../route-module.js'

const HEALTH_AND_METRICS = /^(\/admin)?\/(health\/(alive|ready)|metrics\/prometheus|version)$/

export function readinessGate (isServing: () => boolean): RouteRegistrar {
  return listenerWide((app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => {
      if (isServing()) return
      const path = request.url.split('?', 1)[0] ?? ''
      if (HEALTH_AND_METRICS.test(path)) return
      throw temporarilyUnavailable('The database is not reachable or not migrated yet; see /health/ready.')
    })
  })
}
