// OpenAPI records of the health, version, metrics and OpenAPI endpoints (health.routes.ts, openapi.routes.ts).
import { Type } from '@sinclair/typebox'
import { operation, type OpenApiOperation } from './openapi.js'

export const HealthStatusSchema = Type.Object({
  status: Type.String({ description: 'Always "ok".' })
}, { $id: 'healthStatus' })

export const HealthNotReadyStatusSchema = Type.Object({
  errors: Type.Record(Type.String(), Type.String(), { description: 'Check name → reason; the public listener hides the reasons.' })
}, { $id: 'healthNotReadyStatus' })

export const VersionSchema = Type.Object({
  version: Type.String({ description: 'The version of Warden, e.g. v0.1.0.' })
}, { $id: 'version' })

export const healthOperations: readonly OpenApiOperation[] = [
  operation({
    operationId: 'isAlive',
    method: 'get',
    path: '/health/alive',
    listeners: ['admin', 'public'],
    summary: 'Check HTTP Server Status',
    description: 'Answers 200 as soon as the listener accepts requests, whatever the database state.',
    tags: ['metadata'],
    responses: { 200: { description: 'Warden is alive.', schema: HealthStatusSchema } }
  }),
  operation({
    operationId: 'isReady',
    method: 'get',
    path: '/health/ready',
    listeners: ['admin', 'public'],
    summary: 'Check HTTP Server and Database Status',
    description: 'Answers 200 once the database is reachable and migrated, 503 with the failing checks otherwise.',
    tags: ['metadata'],
    responses: {
      200: { description: 'Warden is ready.', schema: HealthStatusSchema },
      503: { description: 'Not ready.', schema: HealthNotReadyStatusSchema }
    }
  }),
  operation({
    operationId: 'getVersion',
    method: 'get',
    path: '/version',
    listeners: ['admin'],
    summary: 'Return Running Software Version',
    tags: ['metadata'],
    responses: { 200: { description: 'The version.', schema: VersionSchema } }
  }),
  operation({
    operationId: 'prometheusMetrics',
    method: 'get',
    path: '/admin/metrics/prometheus',
    listeners: ['admin'],
    summary: 'Prometheus metrics',
    description: 'Metrics in the Prometheus text exposition format (Hydra serves this route outside its spec).',
    tags: ['metadata'],
    isWardenExtension: true,
    responses: { 200: { description: 'Metrics.', schema: Type.String(), contentType: 'text/plain' } }
  }),
  operation({
    operationId: 'getOpenApiDocument',
    method: 'get',
    path: '/admin/openapi.json',
    listeners: ['admin'],
    summary: 'This OpenAPI document',
    description: 'Also checked in as docs/openapi.json. Answers 304 to a matching If-None-Match.',
    tags: ['metadata'],
    isWardenExtension: true,
    responses: { 200: { description: 'The OpenAPI 3.1 document.', schema: Type.Object({}, { additionalProperties: true }) } }
  })
]
