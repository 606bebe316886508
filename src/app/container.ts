// Composition root: builds every store and service from Config and lists each listener's routes.
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import { selfUrls } from '../config/urls.js'
import type { RouteRegistrar } from '../http/route-module.js'
import { buildClientsService } from '../clients/clients.wiring.js'
import { clientsAdminRoutes } from '../clients/clients.admin-routes.js'
import type { ClientsService } from '../clients/clients.service.js'
import { registrationPublicRoutes } from '../clients/registration.public-routes.js'
import { jwksPublicRoutes } from '../keys/jwks.public-routes.js'
import { keysAdminRoutes } from '../keys/keys.admin-routes.js'
import type { KeysService } from '../keys/keys.service.js'
import { buildKeysService } from '../keys/keys.wiring.js'
import type { Sealer } from '../keys/sealing.js'
import { systemClock, type Clock } from '../lib/clock.js'
import { capabilities, type DiscoveryCapabilities, type DiscoveryService } from '../oidc/discovery.js'
import { discoveryPublicRoutes } from '../oidc/discovery.public-routes.js'
import { buildDiscoveryService } from '../oidc/discovery.wiring.js'
import type { Database } from '../persistence/sql/database.js'
import { SqlClientsStore } from '../persistence/sql/clients.sql.js'
import { SqlKeysStore } from '../persistence/sql/keys.sql.js'

export interface ContainerOptions {
  config: Readonly<Config>
  logger: Logger
  database: Database
  sealer: Sealer
  clock?: Clock
  /** Key generation settings; tests use 2048-bit RSA to save CPU. */
  keyGeneration?: Parameters<typeof buildKeysService>[1]['generation']
}

export interface Container {
  readonly clients: ClientsService
  readonly keys: KeysService
  readonly discovery: DiscoveryService
  readonly publicRoutes: readonly RouteRegistrar[]
  readonly adminRoutes: readonly RouteRegistrar[]
  /** First-start work once the database is reachable and migrated: the default signing key sets. */
  onDatabasePrepared(): Promise<void>
  close(): Promise<void>
}

/**
 * What discovery may advertise: only features that work end to end today. Each later feature (authorize,
 * token, userinfo, ...) extends this list in the same change that implements it.
 */
function implementedCapabilities (): DiscoveryCapabilities {
  return capabilities()
}

export function createContainer (options: ContainerOptions): Container {
  const { config, logger, database } = options
  const clock = options.clock ?? systemClock
  const clients = buildClientsService(config, { store: new SqlClientsStore(database), clock })
  const keys = buildKeysService(config, {
    store: new SqlKeysStore(database),
    clock,
    log: (message) => { logger.warn(message) },
    ...(options.keyGeneration === undefined ? {} : { generation: options.keyGeneration })
  })
  const discovery = buildDiscoveryService(config, keys, implementedCapabilities())
  const urls = selfUrls(config)

  return {
    clients,
    keys,
    discovery,
    publicRoutes: [
      discoveryPublicRoutes({ discovery }),
      jwksPublicRoutes({ keys }),
      registrationPublicRoutes({ clients })
    ],
    adminRoutes: [
      clientsAdminRoutes({ clients }),
      keysAdminRoutes({ keys, issuerUrl: urls.issuer })
    ],
    onDatabasePrepared: async () => { await keys.ensureDefaultKeySets() },
    close: async () => {}
  }
}
