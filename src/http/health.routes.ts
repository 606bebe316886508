// Liveness, readiness, version and metrics endpoints (hydra-api.md §1.2, §1.3, §10).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Readiness } from './app-deps.js'
import type { HttpMetrics } from './plugins/metrics.js'
import type { RouteRegistrar } from './route-module.js'

export const OBFUSCATED_READINESS_ERROR = 'error may contain sensitive information and was obfuscated'

async function readinessErrors (readiness: Readiness): Promise<Record<string, string>> {
  try {
    return await readiness.check()
  } catch (error) {
    return { readiness: error instanceof Error ? error.message : String(error) }
  }
}

function healthRoutes (prefix: string, readiness: Readiness, isObfuscating: boolean): RouteRegistrar {
  return (app) => {
    app.get(`${prefix}/health/alive`, async function isAlive () {
      return { status: 'ok' }
    })

    app.get(`${prefix}/health/ready`, async function isReady (_request: FastifyRequest, reply: FastifyReply) {
      const errors = await readinessErrors(readiness)
      if (Object.keys(errors).length === 0) return { status: 'ok' }
      const shown = isObfuscating
        ? Object.fromEntries(Object.keys(errors).map((name) => [name, OBFUSCATED_READINESS_ERROR]))
        : errors
      return reply.code(503).send({ errors: shown })
    })
  }
}

export function healthPublicRoutes (deps: { readiness: Readiness }): RouteRegistrar {
  return healthRoutes('', deps.readiness, true)
}

export function healthAdminRoutes (deps: { readiness: Readiness, version: string, metrics: HttpMetrics }): RouteRegistrar {
  const health = healthRoutes('/admin', deps.readiness, false)
  return async (app) => {
    await health(app)

    app.get('/admin/version', async function getVersion () {
      return { version: deps.version }
    })

    app.get('/admin/metrics/prometheus', async function prometheusMetrics (_request: FastifyRequest, reply: FastifyReply) {
      const { contentType, body } = await deps.metrics.exposition()
      return reply.type(contentType).send(body)
    })
  }
}
