// Real listeners serving the JWK admin API, jwks.json and discovery on a fresh migrated SQLite database.
import { Configuration, JwkApi, OidcApi, WellknownApi } from '@ory/hydra-client'
import type { Config } from '../../src/config/schema.js'
import { selfUrls } from '../../src/config/urls.js'
import { systemClock, type Clock } from '../../src/lib/clock.js'
import { keysAdminRoutes } from '../../src/keys/keys.admin-routes.js'
import { jwksPublicRoutes } from '../../src/keys/jwks.public-routes.js'
import type { KeysService } from '../../src/keys/keys.service.js'
import { buildKeysService } from '../../src/keys/keys.wiring.js'
import { capabilities, type DiscoveryCapabilities } from '../../src/oidc/discovery.js'
import { discoveryPublicRoutes } from '../../src/oidc/discovery.public-routes.js'
import { buildDiscoveryService } from '../../src/oidc/discovery.wiring.js'
import type { SqlDatabase } from '../../src/persistence/sql/db.js'
import { SqlKeysStore } from '../../src/persistence/sql/keys.sql.js'
import { openMigratedTestDatabase, testDialects } from './databases.js'
import { startTestServers, testConfig, type DeepPartial, type TestServers } from './start-servers.js'

export const KEYS_TEST_SECRET = 'a-keys-test-secret-of-32-chars!!'

export interface KeysHarness {
  servers: TestServers
  config: Config
  keys: KeysService
  store: SqlKeysStore
  database: SqlDatabase
  /** SDK bound to the admin listener. */
  jwk: JwkApi
  wellknown: WellknownApi
  oidc: OidcApi
  close(): Promise<void>
}

export interface KeysHarnessOptions {
  config?: DeepPartial<Config>
  clock?: Clock
  capabilities?: DiscoveryCapabilities
}

export async function startKeysHarness (options: KeysHarnessOptions = {}): Promise<KeysHarness> {
  const entry = testDialects()[0]!
  const database = await openMigratedTestDatabase(entry)
  const overrides: DeepPartial<Config> = { ...options.config, secrets: { system: [KEYS_TEST_SECRET], ...options.config?.secrets } }
  const config = testConfig(overrides)
  const store = new SqlKeysStore(database)
  const keys = buildKeysService(config, { store, clock: options.clock ?? systemClock, generation: { rsaModulusBits: 2048 } })
  let servers: TestServers
  try {
    await keys.ensureDefaultKeySets()
    const discovery = buildDiscoveryService(config, keys, options.capabilities ?? capabilities())
    servers = await startTestServers({
      config: overrides,
      adminRoutes: [keysAdminRoutes({ keys, issuerUrl: selfUrls(config).issuer })],
      publicRoutes: [jwksPublicRoutes({ keys }), discoveryPublicRoutes({ discovery })]
    })
  } catch (error) {
    await database.close()
    await entry.dropFreshDatabases()
    throw error
  }
  const admin = new Configuration({ basePath: servers.adminUrl.replace(/\/$/, '') })
  const publicSide = new Configuration({ basePath: servers.publicUrl.replace(/\/$/, '') })
  return {
    servers,
    config,
    keys,
    store,
    database,
    jwk: new JwkApi(admin),
    wellknown: new WellknownApi(publicSide),
    oidc: new OidcApi(publicSide),
    async close () {
      await servers.close()
      await database.close()
      await entry.dropFreshDatabases()
    }
  }
}

export { failure as sdkFailure } from './clients-harness.js'
