// inject() tests of both apps: rewrite, caching header, errors in the wire format, health, version and metrics.
import { test, describe, after } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import type { FastifyInstance } from 'fastify'
import { testConfig, type DeepPartial } from '../../test/support/start-servers.js'
import type { Config } from '../config/schema.js'
import { invalidGrant } from '../errors/catalogue.js'
import { buildAdminApp } from './admin-app.js'
import type { HttpAppDeps } from './app-deps.js'
import { OBFUSCATED_READINESS_ERROR } from './health.routes.js'
import { createHttpMetrics } from './plugins/metrics.js'
import { NO_CACHE } from './plugins/cache-control.js'
import { buildPublicApp } from './public-app.js'
import { listenerWide, type RouteRegistrar } from './route-module.js'

const apps: FastifyInstance[] = []
after(async () => { await Promise.all(apps.map(async (app) => await app.close())) })

function depsFor (overrides: DeepPartial<Config> = {}, readinessErrors: Record<string, string> = {}): HttpAppDeps & { logLines: string[] } {
  const logLines: string[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => { logLines.push(line) } })
  const config = testConfig({ serve: { max_request_body_bytes: 1024 }, ...overrides })
  return {
    config,
    logger,
    readiness: { check: async () => readinessErrors },
    metrics: createHttpMetrics({ version: 'v9.9.9', isCollectingProcessMetrics: false }),
    version: 'v9.9.9',
    logLines
  }
}

const clientRoutes: RouteRegistrar = (app) => {
  app.get('/admin/clients', async function listOAuth2Clients () { return [] })
  app.get('/admin/clients/:id', async function getOAuth2Client (request) { return { client_id: (request.params as { id: string }).id } })
  app.post('/admin/clients', {
    schema: { body: { type: 'object', required: ['client_name'], properties: { client_name: { type: 'string' }, redirect_uris: { type: 'array', items: { type: 'string' } } } } }
  }, async function createOAuth2Client (request, reply) { return reply.code(201).send(request.body) })
  app.get('/admin/cached', async function cached (_request, reply) { return reply.header('cache-control', 'public, max-age=60').send({}) })
  app.get('/admin/boom', async function boom () { throw new Error('database password is hunter2') })
  app.get('/admin/oauth', async function oauth () { throw invalidGrant('The code was used before.').withDebug('row 7 revoked') })
  app.post('/admin/form', async function form (request) { return request.body })
}

function admin (deps: HttpAppDeps, routes: RouteRegistrar[] = [clientRoutes]): FastifyInstance {
  const app = buildAdminApp(deps, routes)
  apps.push(app)
  return app
}

function publicApp (deps: HttpAppDeps, routes: RouteRegistrar[] = []): FastifyInstance {
  const app = buildPublicApp(deps, routes)
  apps.push(app)
  return app
}

describe('routing', () => {
  test('admin routes answer with and without the /admin prefix, and with a trailing slash', async () => {
    const app = admin(depsFor())
    for (const url of ['/admin/clients', '/clients', '/clients/', '/admin/clients/']) {
      const res = await app.inject({ url })
      assert.equal(res.statusCode, 200, url)
      assert.deepEqual(res.json(), [])
    }
    assert.deepEqual((await app.inject({ url: '/clients/abc' })).json(), { client_id: 'abc' })
  })

  test('the public listener has no admin, version or metrics routes', async () => {
    const app = publicApp(depsFor())
    for (const url of ['/admin/version', '/version', '/metrics/prometheus', '/admin/health/ready']) {
      const res = await app.inject({ url })
      assert.equal(res.statusCode, 404, url)
      assert.deepEqual(res.json(), { error: 'The requested resource could not be found', error_description: '' })
    }
  })

  test('unknown routes give 404 and a wrong method on a known path gives 405 with Allow', async () => {
    const app = admin(depsFor())
    assert.equal((await app.inject({ url: '/nothing/here' })).statusCode, 404)
    const res = await app.inject({ method: 'DELETE', url: '/clients' })
    assert.equal(res.statusCode, 405)
    assert.equal(res.json().error, 'The request method is not supported by this resource')
    assert.equal(res.headers['allow'], 'GET, HEAD, POST')
  })

  test('a malformed URL is a 400 in the error format', async () => {
    const res = await admin(depsFor()).inject({ url: '/clients/%zz' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().error, 'The request was malformed or contained invalid parameters')
    assert.equal(res.headers['cache-control'], NO_CACHE)
  })

  test('registrars are scoped unless marked listenerWide', async () => {
    const scopedHook: RouteRegistrar = (app) => { app.addHook('onSend', async (_request, reply, payload) => { void reply.header('x-scoped', '1'); return payload }) }
    const wideHook = listenerWide((app) => { app.addHook('onSend', async (_request, reply, payload) => { void reply.header('x-wide', '1'); return payload }) })
    const res = await admin(depsFor(), [scopedHook, wideHook, clientRoutes]).inject({ url: '/clients' })
    assert.equal(res.headers['x-scoped'], undefined)
    assert.equal(res.headers['x-wide'], '1')
  })

  test('every GET response is uncacheable unless the route says otherwise', async () => {
    const app = admin(depsFor())
    assert.equal((await app.inject({ url: '/clients' })).headers['cache-control'], NO_CACHE)
    assert.equal((await app.inject({ url: '/nothing' })).headers['cache-control'], NO_CACHE)
    assert.equal((await app.inject({ url: '/cached' })).headers['cache-control'], 'public, max-age=60')
    const post = await app.inject({ method: 'POST', url: '/clients', payload: { client_name: 'x' } })
    assert.equal(post.headers['cache-control'], undefined)
  })
})

describe('request bodies', () => {
  const post = async (app: FastifyInstance, payload: string | Buffer, contentType = 'application/json') =>
    await app.inject({ method: 'POST', url: '/clients', payload, headers: { 'content-type': contentType } })

  test('valid JSON reaches the handler; +json media types are JSON too', async () => {
    const app = admin(depsFor())
    assert.equal((await post(app, '{"client_name":"a"}')).statusCode, 201)
    assert.equal((await post(app, '{"client_name":"a"}', 'application/merge-patch+json; charset=utf-8')).statusCode, 201)
  })

  test('malformed JSON, duplicate keys and invalid UTF-8 are 400 in the error format', async () => {
    const app = admin(depsFor())
    const malformed = await post(app, '{"client_name":')
    assert.equal(malformed.statusCode, 400)
    assert.equal(malformed.json().error, 'The request was malformed or contained invalid parameters')
    const duplicate = await post(app, '{"client_name":"a","redirect_uris":[],"client_name":"b"}')
    assert.equal(duplicate.statusCode, 400)
    assert.match(duplicate.json().error_description, /client_name' more than once/)
    const latin1 = await post(app, Buffer.from('{"client_name":"caf\xe9"}', 'latin1'))
    assert.equal(latin1.statusCode, 400)
    assert.match(latin1.json().error_description, /UTF-8/)
  })

  test('schema violations are invalid_request with the JSON pointer in the hint', async () => {
    const app = admin(depsFor())
    const missing = await post(app, '{"redirect_uris":[]}')
    assert.equal(missing.statusCode, 400)
    assert.equal(missing.json().error, 'invalid_request')
    assert.match(missing.json().error_description, /'\/client_name'/)
    const wrongItem = await post(app, '{"client_name":"a","redirect_uris":["x",{}]}')
    assert.match(wrongItem.json().error_description, /'\/redirect_uris\/1'/)
  })

  test('too large is 413, an unknown content type is 415, a foreign charset is 415', async () => {
    const app = admin(depsFor())
    const big = await post(app, JSON.stringify({ client_name: 'x'.repeat(2000) }))
    assert.equal(big.statusCode, 413)
    assert.deepEqual(big.json(), { error: 'The request body is too large', error_description: '' })
    assert.equal((await post(app, 'client_name=a', 'text/plain')).statusCode, 415)
    assert.equal((await post(app, '{"client_name":"a"}', 'application/json; charset=utf-16')).statusCode, 415)
  })

  test('form bodies become records with arrays for repeated names', async () => {
    const app = admin(depsFor())
    const res = await app.inject({ method: 'POST', url: '/form', payload: 'a=1&b=x+y&a=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.deepEqual(res.json(), { a: ['1', '2'], b: 'x y' })
    const bad = await app.inject({ method: 'POST', url: '/form', payload: 'a=%G1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.equal(bad.statusCode, 400)
  })
})

describe('errors', () => {
  test('a thrown plain Error is a 500 server_error without its message, and is logged with its stack', async () => {
    const deps = depsFor()
    const res = await admin(deps).inject({ url: '/boom' })
    assert.equal(res.statusCode, 500)
    assert.equal(res.json().error, 'server_error')
    assert.doesNotMatch(res.body, /hunter2|at .*\.js/)
    const logged = deps.logLines.map((line) => JSON.parse(line) as { level: number, err?: { stack?: string } }).find((line) => line.err !== undefined)
    assert.match(logged?.err?.stack ?? '', /hunter2/)
  })

  test('expose_internal_errors appends the debug text, still without a stack', async () => {
    const app = admin(depsFor({ oauth2: { expose_internal_errors: true } }))
    const res = await app.inject({ url: '/boom' })
    assert.match(res.json().error_description, /hunter2$/)
    assert.doesNotMatch(res.body, /at .*\.js/)
  })

  test('OAuth2 errors keep code and status; legacy mode splits hint, debug and status', async () => {
    const modern = await admin(depsFor()).inject({ url: '/oauth' })
    assert.equal(modern.statusCode, 400)
    assert.deepEqual(Object.keys(modern.json()), ['error', 'error_description'])
    assert.match(modern.json().error_description, /used before\.$/)
    const legacy = await admin(depsFor({ oauth2: { include_legacy_error_fields: true, expose_internal_errors: true } })).inject({ url: '/oauth' })
    assert.equal(legacy.json().error_hint, 'The code was used before.')
    assert.equal(legacy.json().error_debug, 'row 7 revoked')
    assert.equal(legacy.json().status_code, 400)
  })
})

describe('health, version and metrics', () => {
  test('alive and ready answer ok on both listeners; admin also through the rewrite', async () => {
    const deps = depsFor()
    for (const [app, url] of [[publicApp(deps), '/health/alive'], [publicApp(deps), '/health/ready'], [admin(deps), '/health/ready'], [admin(deps), '/admin/health/alive']] as const) {
      const res = await app.inject({ url })
      assert.equal(res.statusCode, 200, url)
      assert.deepEqual(res.json(), { status: 'ok' })
    }
  })

  test('not ready is 503; the public listener hides the reasons, admin shows them', async () => {
    const deps = depsFor({}, { database: 'connect ECONNREFUSED 10.0.0.3:5432' })
    const pub = await publicApp(deps).inject({ url: '/health/ready' })
    assert.equal(pub.statusCode, 503)
    assert.deepEqual(pub.json(), { errors: { database: OBFUSCATED_READINESS_ERROR } })
    const adm = await admin(deps).inject({ url: '/admin/health/ready' })
    assert.deepEqual(adm.json(), { errors: { database: 'connect ECONNREFUSED 10.0.0.3:5432' } })
  })

  test('version and metrics are on admin', async () => {
    const deps = depsFor()
    const app = admin(deps)
    assert.deepEqual((await app.inject({ url: '/version' })).json(), { version: 'v9.9.9' })
    await app.inject({ url: '/clients/abc' })
    await publicApp(deps).inject({ url: '/nope' })
    const res = await app.inject({ url: '/metrics/prometheus' })
    assert.equal(res.statusCode, 200)
    assert.match(res.headers['content-type'] as string, /^text\/plain/)
    for (const name of ['http_requests_total', 'http_requests_duration_seconds', 'http_response_time_seconds', 'http_response_size_bytes', 'http_requests_size_bytes', 'http_requests_statuses_total']) {
      assert.match(res.body, new RegExp(`^# TYPE ${name} `, 'm'), name)
    }
    assert.match(res.body, /http_requests_total\{code="200",method="GET",endpoint="\/admin\/clients\/\{param\}",app="hydra",version="v9.9.9"/)
    assert.match(res.body, /http_requests_total\{code="404",method="GET",endpoint=""/)
    assert.match(res.body, /http_requests_statuses_total\{method="GET",status_bucket="4xx"/)
  })

  test('the request log skips health when configured and redacts query values', async () => {
    const deps = depsFor({ serve: { admin: { request_log: { disable_for_health: true } } } })
    const app = admin(deps)
    await app.inject({ url: '/health/ready' })
    await app.inject({ url: '/clients?login_challenge=s3cr3t' })
    const lines = deps.logLines.map((line) => JSON.parse(line) as { path?: string, status?: number, listener?: string })
    assert.equal(lines.some((line) => line.path?.includes('health') === true), false)
    const logged = lines.find((line) => line.path?.startsWith('/admin/clients') === true)
    assert.equal(logged?.listener, 'admin')
    assert.equal(logged?.status, 200)
    assert.doesNotMatch(JSON.stringify(lines), /s3cr3t/)
  })
})
