// Starts a whole Warden process: database, first-start tasks, both fastify apps and their listeners.
import { accessSync, constants, statSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import type { ServeMode } from '../config/serve-checks.js'
import { ConfigError } from '../config/load.js'
import { problemLine, type SourceMap } from '../config/problems.js'
import { buildAdminApp } from '../http/admin-app.js'
import type { HttpAppDeps } from '../http/app-deps.js'
import { createHttpMetrics } from '../http/plugins/metrics.js'
import { readinessGate } from '../http/plugins/readiness-gate.js'
import { buildPublicApp } from '../http/public-app.js'
import { decideTlsMode, isUnixSocketHost } from '../http/tls-mode.js'
import { Sealer } from '../keys/sealing.js'
import { wardenVersion } from '../lib/package-version.js'
import { openDatabase, type SqlDatabase } from '../persistence/sql/db.js'
import { DsnError, parseDsn } from '../persistence/sql/dsn.js'
import { SqlTlsCertificateStore } from '../persistence/sql/tls-certificate.sql.js'
import { createContainer, type Container, type ContainerOptions } from './container.js'
import { DatabaseLifecycle } from './database-lifecycle.js'
import { startServers, type RunningServers } from './servers.js'
import { socketPathOf } from './unix-socket.js'

export interface StartWardenOptions {
  config: Readonly<Config>
  logger: Logger
  which: ServeMode
  /** `--dangerous-force-http`: plain HTTP without dev mode. */
  forceHttp: boolean
  /** Collect Node.js process metrics (one registry per process; tests starting many servers turn it off). */
  isCollectingProcessMetrics?: boolean
  /** Apply pending migrations at start; default only in dev mode and for the `memory` DSN (Hydra's rule). */
  isMigratingAutomatically?: boolean
  /** Composition overrides for tests (clock, key sizes). */
  container?: Pick<ContainerOptions, 'clock' | 'keyGeneration'>
  /** Where each config value came from, so start-up problems name their source (`from env DSN`). */
  sources?: SourceMap
}

export interface RunningWarden {
  publicUrl: string | undefined
  adminUrl: string | undefined
  container: Container
  servers: RunningServers
  lifecycle: DatabaseLifecycle
  close(): Promise<void>
}

/** The parsed DSN, or a problem line naming where the DSN came from. */
function parseConfiguredDsn (config: Readonly<Config>, sources: SourceMap | undefined): ReturnType<typeof parseDsn> | string {
  try {
    return parseDsn(config.dsn ?? '')
  } catch (error) {
    if (error instanceof DsnError) return problemLine(['dsn'], error.message, sources)
    throw error
  }
}

function listenersOf (which: ServeMode): ReadonlyArray<'public' | 'admin'> {
  return which === 'all' ? ['public', 'admin'] : [which]
}

function errorCodeText (error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message
}

/**
 * Paths the listeners open only after the database is prepared (certificate files, a socket's directory),
 * checked before anything starts, so a typo fails at once as a config problem naming its source.
 */
function listenerPathProblems (config: Readonly<Config>, which: ServeMode, forceHttp: boolean, sources: SourceMap | undefined): string[] {
  const problems = new Set<string>()
  for (const listener of listenersOf(which)) {
    const { host } = config.serve[listener]
    if (isUnixSocketHost(host)) {
      const directory = dirname(socketPathOf(host))
      // libuv reports a missing directory as EACCES when binding, so it is checked here instead.
      const isDirectory = ((): boolean => { try { return statSync(directory).isDirectory() } catch { return false } })()
      if (!isDirectory) problems.add(problemLine(['serve', listener, 'host'], `the directory ${directory} of the UNIX socket does not exist`, sources))
      continue
    }
    const files = decideTlsMode(config, listener, { forceHttp, isUnixSocket: false }).files
    for (const pem of [files?.cert, files?.key]) {
      if (pem?.path === undefined) continue
      try {
        accessSync(pem.path, constants.R_OK)
      } catch (error) {
        problems.add(problemLine([...pem.key.split('.'), 'path'], `cannot read ${pem.path}: ${errorCodeText(error)}`, sources))
      }
    }
  }
  return [...problems]
}

function needsSelfSignedCertificate (config: Readonly<Config>, which: ServeMode, forceHttp: boolean): boolean {
  return listenersOf(which).some((listener) => {
    const isUnixSocket = isUnixSocketHost(config.serve[listener].host)
    return decideTlsMode(config, listener, { forceHttp, isUnixSocket }).mode === 'https-self-signed'
  })
}

export async function startWarden (options: StartWardenOptions): Promise<RunningWarden> {
  const { config, logger, which, forceHttp } = options
  const dsn = parseConfiguredDsn(config, options.sources)
  const problems = [...(typeof dsn === 'string' ? [dsn] : []), ...listenerPathProblems(config, which, forceHttp, options.sources)]
  if (problems.length > 0 || typeof dsn === 'string') throw new ConfigError(problems)
  const database: SqlDatabase = openDatabase(dsn, { logger, hasBackgroundCheckpoints: true })
  const version = wardenVersion()
  const sealer = new Sealer(config.secrets.system)
  const container = createContainer({ config, logger, database, sealer, ...options.container })
  const lifecycle = new DatabaseLifecycle({
    database,
    logger,
    isMigratingAutomatically: options.isMigratingAutomatically ?? (config.dev || (database.dsn.dialect === 'sqlite' && database.dsn.isMemory)),
    onPrepared: container.onDatabasePrepared
  })
  try {
    await lifecycle.start()
    // A self-signed certificate lives in the database, so such a listener waits for it.
    if (needsSelfSignedCertificate(config, which, forceHttp)) await lifecycle.whenPrepared()

    const metrics = createHttpMetrics({ version, isCollectingProcessMetrics: options.isCollectingProcessMetrics ?? true })
    const deps: HttpAppDeps = { config, logger, readiness: lifecycle, metrics, version }
    const gate = readinessGate(() => lifecycle.isPrepared)
    const servers = await startServers({
      which,
      config,
      forceHttp,
      logger,
      publicApp: buildPublicApp(deps, [gate, ...container.publicRoutes]),
      adminApp: buildAdminApp(deps, [gate, ...container.adminRoutes]),
      tlsCertificates: new SqlTlsCertificateStore(database),
      sealer
    })
    return {
      publicUrl: servers.public?.url,
      adminUrl: servers.admin?.url,
      container,
      servers,
      lifecycle,
      close: async () => {
        lifecycle.stop()
        await servers.close()
            await database.close()
      }
    }
  } catch (error) {
    lifecycle.stop()
    await database.close()
    throw error
  }
}
