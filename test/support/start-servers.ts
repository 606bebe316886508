// Boots real public and admin listeners on port 0 for tests (first version: injectable routes, stub readiness).
import { Value } from '@sinclair/typebox/value'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { ConfigSchema, type Config } from '../../src/config/schema.js'
import { createLogger } from '../../src/app/logger.js'
import { startServers, type RunningServers } from '../../src/app/servers.js'
import { buildAdminApp } from '../../src/http/admin-app.js'
import type { HttpAppDeps, Readiness } from '../../src/http/app-deps.js'
import { createHttpMetrics, type HttpMetrics } from '../../src/http/plugins/metrics.js'
import { buildPublicApp } from '../../src/http/public-app.js'
import type { RouteRegistrar } from '../../src/http/route-module.js'
import type { Sealer } from '../../src/keys/sealing.js'
import type { StoredTlsCertificate, TlsCertificateStore } from '../../src/keys/tls-certificate.store.js'

export type DeepPartial<T> = T extends readonly (infer U)[] ? readonly U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T

/** Schema defaults, listeners on 127.0.0.1 port 0, overridden by `overrides` (deeply). */
export function testConfig (overrides: DeepPartial<Config> = {}): Config {
  const base = { serve: { public: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 } } }
  return Value.Default(ConfigSchema, mergeDeep(base, structuredClone(overrides) as Record<string, unknown>)) as Config
}

function mergeDeep (base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const current = out[key]
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
    out[key] = isObject(current) && isObject(value) ? mergeDeep(current, value) : value
  }
  return out
}

/** A logger writing into an array, so tests can assert on (and silence) log output. */
export function captureLogger (config: Config, level?: string): { logger: Logger, lines: string[] } {
  const lines: string[] = []
  const logger = createLogger({ ...config.log, format: 'json', level: level ?? config.log.level }, { destination: { write: (line) => lines.push(line) } })
  return { logger, lines }
}

export const readyReadiness: Readiness = { check: async () => ({}) }

export interface StartTestServersOptions {
  config?: DeepPartial<Config>
  publicRoutes?: RouteRegistrar[]
  adminRoutes?: RouteRegistrar[]
  readiness?: Readiness
  version?: string
  /** Plain HTTP unless TLS is configured (default true). */
  forceHttp?: boolean
  tlsCertificates?: TlsCertificateStore
  sealer?: Sealer
  tlsReloadIntervalMs?: number
  which?: 'all' | 'public' | 'admin'
}

export interface TestServers {
  publicUrl: string
  adminUrl: string
  publicApp: FastifyInstance
  adminApp: FastifyInstance
  servers: RunningServers
  metrics: HttpMetrics
  config: Config
  logLines: string[]
  close(): Promise<void>
}

export async function startTestServers (options: StartTestServersOptions = {}): Promise<TestServers> {
  const config = testConfig(options.config)
  const { logger, lines } = captureLogger(config)
  const metrics = createHttpMetrics({ version: options.version ?? 'v0.0.0-test', isCollectingProcessMetrics: false })
  const deps: HttpAppDeps = { config, logger, readiness: options.readiness ?? readyReadiness, metrics, version: options.version ?? 'v0.0.0-test' }
  const publicApp = buildPublicApp(deps, options.publicRoutes ?? [])
  const adminApp = buildAdminApp(deps, options.adminRoutes ?? [])
  const servers = await startServers({
    which: options.which ?? 'all',
    config,
    forceHttp: options.forceHttp ?? true,
    logger,
    publicApp,
    adminApp,
    ...(options.tlsCertificates === undefined ? {} : { tlsCertificates: options.tlsCertificates }),
    ...(options.sealer === undefined ? {} : { sealer: options.sealer }),
    ...(options.tlsReloadIntervalMs === undefined ? {} : { tlsReloadIntervalMs: options.tlsReloadIntervalMs })
  })
  return {
    publicUrl: servers.public?.url ?? '',
    adminUrl: servers.admin?.url ?? '',
    publicApp,
    adminApp,
    servers,
    metrics,
    config,
    logLines: lines,
    close: async () => {
      await servers.close()
      // startServers closes the apps it started; an app left out by `which` is closed here.
      if (servers.public === undefined) await publicApp.close()
      if (servers.admin === undefined) await adminApp.close()
    }
  }
}

/** An in-memory TlsCertificateStore with the SQL store's insert-if-absent semantics. */
export function memoryTlsCertificateStore (): TlsCertificateStore & { inserts: number } {
  let stored: StoredTlsCertificate | undefined
  const store = {
    inserts: 0,
    find: async () => stored,
    insertIfAbsent: async (candidate: StoredTlsCertificate) => {
      if (stored === undefined) {
        stored = candidate
        store.inserts++
      }
      return stored
    }
  }
  return store
}
