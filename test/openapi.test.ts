// docs/openapi.json is current, is what /admin/openapi.json serves, and documents exactly the routes both listeners register.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { createContainer } from '../src/app/container.js'
import { renderOpenApiDocument, wardenOpenApiDocument, wardenOperations } from '../src/app/openapi-document.js'
import { buildAdminApp } from '../src/http/admin-app.js'
import type { HttpAppDeps } from '../src/http/app-deps.js'
import { routePathOf, type Listener } from '../src/http/openapi.js'
import { createHttpMetrics } from '../src/http/plugins/metrics.js'
import { buildPublicApp } from '../src/http/public-app.js'
import { Sealer } from '../src/keys/sealing.js'
import { openDatabase, type SqlDatabase } from '../src/persistence/sql/db.js'
import { captureLogger, readyReadiness, testConfig } from './support/start-servers.js'

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url))

test('docs/openapi.json is up to date with the operation records', () => {
  const checkedIn = readFileSync(join(root, 'docs', 'openapi.json'), 'utf8')
  assert.ok(checkedIn === renderOpenApiDocument(), 'docs/openapi.json is stale: run `npm run build && npm run docs`')
})

test('every $ref resolves and every path template parameter is declared', () => {
  const document = wardenOpenApiDocument() as { paths: Record<string, Record<string, { parameters?: Array<{ name: string, in: string }> }>>, components: { schemas: Record<string, unknown> } }
  const text = JSON.stringify(document)
  for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
    assert.ok(name !== undefined && name in document.components.schemas, `unresolved $ref ${name ?? ''}`)
  }
  for (const [path, item] of Object.entries(document.paths)) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort()
    for (const [method, op] of Object.entries(item)) {
      const declared = (op.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name).sort()
      assert.deepEqual(declared, templated, `${method.toUpperCase()} ${path}`)
    }
  }
})

/** "METHOD /path" of every route an app registers (fastify's automatic HEAD routes left out). */
function collectRoutes (app: FastifyInstance): Set<string> {
  const routes = new Set<string>()
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.add(`${method} ${route.url}`)
  })
  return routes
}

describe('the document and the registered routes', () => {
  const registered: Record<Listener, Set<string>> = { public: new Set(), admin: new Set() }
  const apps: FastifyInstance[] = []
  let database: SqlDatabase | undefined

  before(async () => {
    const config = testConfig({ secrets: { system: ['a-test-system-secret-of-32-chars'] } })
    const { logger } = captureLogger(config)
    database = openDatabase('memory')
    const container = createContainer({ config, logger, database, sealer: new Sealer(config.secrets.system) })
    const deps: HttpAppDeps = { config, logger, readiness: readyReadiness, metrics: createHttpMetrics({ version: 'v0.0.0-test', isCollectingProcessMetrics: false }), version: 'v0.0.0-test' }
    const publicApp = buildPublicApp(deps, container.publicRoutes)
    const adminApp = buildAdminApp(deps, container.adminRoutes)
    registered.public = collectRoutes(publicApp)
    registered.admin = collectRoutes(adminApp)
    apps.push(publicApp, adminApp)
    await Promise.all(apps.map(async (app) => { await app.ready() }))
  })

  after(async () => {
    for (const app of apps) await app.close()
    await database?.close()
  })

  for (const listener of ['public', 'admin'] as const) {
    test(`the ${listener} listener serves exactly the operations documented for it`, () => {
      const documented = new Set(wardenOperations()
        .filter((op) => op.listeners.includes(listener))
        .map((op) => `${op.method.toUpperCase()} ${routePathOf(op, listener)}`))
      const undocumented = [...registered[listener]].filter((route) => !documented.has(route)).sort()
      const missing = [...documented].filter((route) => !registered[listener].has(route)).sort()
      assert.ok(registered[listener].size >= 10, `only ${registered[listener].size} routes seen on ${listener}`)
      assert.deepEqual(undocumented, [], 'routes without an OpenAPI record (add one to the domain\'s *.openapi.ts)')
      assert.deepEqual(missing, [], 'OpenAPI records without a route')
    })
  }

  test('GET /admin/openapi.json (and /openapi.json) serves the checked-in document with an ETag', async () => {
    const admin = apps[1] as FastifyInstance
    const response = await admin.inject({ method: 'GET', url: '/admin/openapi.json' })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^application\/json/)
    assert.deepEqual(response.json(), JSON.parse(readFileSync(join(root, 'docs', 'openapi.json'), 'utf8')))
    const unprefixed = await admin.inject({ method: 'GET', url: '/openapi.json' })
    assert.equal(unprefixed.body, response.body)
    const etag = String(response.headers.etag)
    const again = await admin.inject({ method: 'GET', url: '/admin/openapi.json', headers: { 'if-none-match': etag } })
    assert.equal(again.statusCode, 304)
    const publicApp = apps[0] as FastifyInstance
    assert.equal((await publicApp.inject({ method: 'GET', url: '/admin/openapi.json' })).statusCode, 404)
  })
})
