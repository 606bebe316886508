// One log line per request and listener: method, path (query values redacted), status, latency.
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { createRedactor } from '../../lib/redaction.js'
import type { HttpConfig, ListenerName } from '../http-config.js'
import { normalisedPath } from './url-rewrite.js'

const QUIET_PATHS = new Set(['/health/alive', '/health/ready', '/admin/health/alive', '/admin/health/ready', '/admin/metrics/prometheus'])

export function installRequestLog (app: FastifyInstance, options: { logger: Logger, listener: ListenerName, config: HttpConfig }): void {
  const { logger, listener, config } = options
  const redactor = createRedactor({ isLeakingSensitiveValues: config.log.leak_sensitive_values, redactionText: config.log.redaction_text })
  const isQuietingHealth = config.serve[listener].request_log.disable_for_health
  app.addHook('onResponse', (request, reply, done) => {
    const url = request.raw.url ?? '/'
    const status = reply.statusCode
    // Building the entry (redacting every header) costs more than the rest of a small request's logging: skip it
    // when the line would be dropped anyway.
    if (!logger.isLevelEnabled(status >= 500 ? 'error' : 'info') || (isQuietingHealth && QUIET_PATHS.has(normalisedPath(url)))) {
      done()
      return
    }
    const entry = {
      listener,
      method: request.method,
      path: redactor.redactUrl(url),
      // As Hydra's request log; Authorization, Cookie and the like are masked unless log.leak_sensitive_values.
      headers: redactor.redactObject({ ...request.headers }),
      status,
      latency_ms: Math.round(reply.elapsedTime * 1000) / 1000,
      remote_address: request.raw.socket?.remoteAddress,
      request_id: request.id
    }
    if (status >= 500) logger.error(entry, 'completed handling request')
    else logger.info(entry, 'completed handling request')
    done()
  })
}
