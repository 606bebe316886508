// Prometheus HTTP metrics with Hydra's names (hydra-api.md §10.1), one registry per process fed by both listeners.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

export interface HttpSample {
  method: string
  code: number
  /** Matched route pattern with parameters as `{param}`; '' when no route matched. */
  endpoint: string
  durationSeconds: number
  requestBytes: number
  responseBytes: number
}

export interface HttpMetrics {
  readonly registry: Registry
  observe(sample: HttpSample): void
  /** The text exposition format and its content type. */
  exposition(): Promise<{ contentType: string, body: string }>
}

export interface HttpMetricsOptions {
  version: string
  /** Also export process_* and nodejs_* metrics (Hydra exports go_* and process_*). */
  isCollectingProcessMetrics?: boolean
}

interface LabelledSeries {
  requests: { inc(): void }
  duration: { observe(value: number): void }
  responseTime: { observe(value: number): void }
  responseSize: { observe(value: number): void }
  requestSize: { observe(value: number): void }
  statuses: { inc(): void }
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const SIZE_BUCKETS = [100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000]

function statusBucket (code: number): string {
  return code >= 200 && code < 600 ? `${Math.floor(code / 100)}xx` : 'unknown'
}

/** Creates a registry; compose one per process and hand it to both apps. */
export function createHttpMetrics (options: HttpMetricsOptions): HttpMetrics {
  const registry = new Registry()
  // Hydra's constant labels; `app` stays "hydra" so existing dashboards keep working.
  registry.setDefaultLabels({ app: 'hydra', version: options.version, hash: '', buildTime: '' })
  if (options.isCollectingProcessMetrics ?? true) collectDefaultMetrics({ register: registry })
  const registers = [registry]
  const requests = new Counter({ name: 'http_requests_total', help: 'Number of HTTP requests.', labelNames: ['code', 'method', 'endpoint'], registers })
  const duration = new Histogram({ name: 'http_requests_duration_seconds', help: 'Duration of HTTP requests.', labelNames: ['code', 'method', 'endpoint'], buckets: DURATION_BUCKETS, registers })
  const responseTime = new Histogram({ name: 'http_response_time_seconds', help: 'Time to answer HTTP requests, per endpoint.', labelNames: ['endpoint'], buckets: DURATION_BUCKETS, registers })
  const responseSize = new Histogram({ name: 'http_response_size_bytes', help: 'Size of HTTP responses.', labelNames: ['code', 'method'], buckets: SIZE_BUCKETS, registers })
  const requestSize = new Histogram({ name: 'http_requests_size_bytes', help: 'Approximate size of HTTP requests, headers included.', labelNames: ['code', 'method'], buckets: SIZE_BUCKETS, registers })
  const statuses = new Counter({ name: 'http_requests_statuses_total', help: 'Number of HTTP responses per status class.', labelNames: ['method', 'status_bucket'], registers })

  // prom-client hashes a label object on every call; the labelled children of one (code, method, endpoint) are
  // looked up once and kept (a few dozen combinations: routes × methods × status codes).
  const children = new Map<string, LabelledSeries>()
  const seriesOf = (code: number, method: string, endpoint: string): LabelledSeries => {
    const key = `${code} ${method} ${endpoint}`
    let series = children.get(key)
    if (series === undefined) {
      const labels = { code: String(code), method, endpoint }
      series = {
        requests: requests.labels(labels),
        duration: duration.labels(labels),
        responseTime: responseTime.labels({ endpoint }),
        responseSize: responseSize.labels({ code: labels.code, method }),
        requestSize: requestSize.labels({ code: labels.code, method }),
        statuses: statuses.labels({ method, status_bucket: statusBucket(code) })
      }
      children.set(key, series)
    }
    return series
  }

  return {
    registry,
    observe (sample) {
      const series = seriesOf(sample.code, sample.method, sample.endpoint)
      series.requests.inc()
      series.duration.observe(sample.durationSeconds)
      series.responseTime.observe(sample.durationSeconds)
      series.responseSize.observe(sample.responseBytes)
      series.requestSize.observe(sample.requestBytes)
      series.statuses.inc()
    },
    async exposition () {
      return { contentType: registry.contentType, body: await registry.metrics() }
    }
  }
}

/** '/admin/clients/:id' → '/admin/clients/{param}' (Hydra's endpoint label). */
export function endpointLabel (routePattern: string | undefined): string {
  if (routePattern === undefined) return ''
  return routePattern.replace(/:[^/]+/g, '{param}').replace(/\*$/, '{param}')
}

function requestSizeBytes (request: FastifyRequest): number {
  let size = request.method.length + request.raw.url!.length + 12
  const raw = request.raw.rawHeaders
  for (const part of raw) size += part.length + 2
  return size + (Number(request.headers['content-length']) || 0)
}

function responseSizeBytes (reply: FastifyReply): number {
  return Number(reply.getHeader('content-length')) || 0
}

export function installHttpMetrics (app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observe({
      method: request.method,
      code: reply.statusCode,
      endpoint: endpointLabel(request.is404 ? undefined : request.routeOptions.url),
      durationSeconds: reply.elapsedTime / 1000,
      requestBytes: requestSizeBytes(request),
      responseBytes: responseSizeBytes(reply)
    })
    done()
  })
}
