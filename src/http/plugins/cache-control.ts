// Hydra marks every GET response private and uncacheable unless the route chose its own Cache-Control.
import type { FastifyInstance } from 'fastify'

export const NO_CACHE = 'private, no-cache, no-store, must-revalidate'

export function installCacheControl (app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if ((request.method === 'GET' || request.method === 'HEAD') && !reply.hasHeader('cache-control')) {
      void reply.header('cache-control', NO_CACHE)
    }
    done(null, payload)
  })
}
