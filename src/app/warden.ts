// Starts a whole Warden process: database, first-start tasks, both fastify apps and their listeners.
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import type { ServeMode } from '../config/serve-checks.js'
import { ConfigError } from '../config/load.js'
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
}

export interface RunningWarden {
  publicUrl: string | undefined
  adminUrl: string | undefined
  container: Container
  servers: RunningServers
  lifecycle: DatabaseLifecycle
  close(): Promise<void>
}

function openConfiguredDatabase (config: Readonly<Config>, logger: Logger): SqlDatabase {
  try {
    return openDatabase(parseDsn(config.dsn ?? ''), { logger })
  } catch (error) {
    if (error instanceof DsnError) throw new ConfigError([`dsn: ${error.message}`])
    throw error
  }
}

function needsSelfSignedCertificate (config: Readonly<Config>, which: ServeMode, forceHttp: boolean): boolean {
  const listeners = which === 'all' ? (['public', 'admin'] as const) : [which]
  return listeners.some((listener) => {
    const isUnixSocket = isUnixSocketHost(config.serve[listener].host)
    return decideTlsMode(config, listener, { forceHttp, isUnixSocket }).mode === 'https-self-signed'
  })
}

export async function startWarden (options: StartWardenOptions): Promise<RunningWarden> {
  const { config, logger, which, forceHttp } = options
  const database = openConfiguredDatabase(config, logger)
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
        await container.close()
        await database.close()
      }
    }
  } catch (error) {
    lifecycle.stop()
    await database.close()
    throw error
  }
}
