// Real listeners serving the clients admin API and DCR on a fresh migrated SQLite database, for SDK and CLI tests.
import { Configuration, OAuth2Api, OidcApi } from '@ory/hydra-client'
import { clientsAdminRoutes } from '../../src/clients/clients.admin-routes.js'
import type { ClientsService } from '../../src/clients/clients.service.js'
import { buildClientsService } from '../../src/clients/clients.wiring.js'
import { registrationPublicRoutes } from '../../src/clients/registration.public-routes.js'
import type { Config } from '../../src/config/schema.js'
import { systemClock, type Clock } from '../../src/lib/clock.js'
import { SqlClientsStore } from '../../src/persistence/sql/clients.sql.js'
import type { SqlDatabase } from '../../src/persistence/sql/db.js'
import { openMigratedTestDatabase, testDialects } from './databases.js'
import { startTestServers, testConfig, type DeepPartial, type TestServers } from './start-servers.js'

export { TEST_SYSTEM_SECRET } from './warden.js'
import { TEST_SYSTEM_SECRET } from './warden.js'

export interface ClientsHarness {
  servers: TestServers
  config: Config
  clients: ClientsService
  database: SqlDatabase
  /** SDK bound to the admin listener. */
  admin: OAuth2Api
  /** SDK bound to the public listener; pass a registration access token for the RFC 7592 calls. */
  oidc(accessToken?: string): OidcApi
  close(): Promise<void>
}

export interface ClientsHarnessOptions {
  config?: DeepPartial<Config>
  clock?: Clock
  fetchSectorIdentifier?: (url: string) => Promise<unknown>
}

export async function startClientsHarness (options: ClientsHarnessOptions = {}): Promise<ClientsHarness> {
  const entry = testDialects()[0]!
  const database = await openMigratedTestDatabase(entry)
  const overrides: DeepPartial<Config> = { ...options.config, secrets: { system: [TEST_SYSTEM_SECRET], ...options.config?.secrets } }
  const config = testConfig(overrides)
  const clients = buildClientsService(config, {
    store: new SqlClientsStore(database),
    clock: options.clock ?? systemClock,
    ...(options.fetchSectorIdentifier === undefined ? {} : { fetchSectorIdentifier: options.fetchSectorIdentifier })
  })
  let servers: TestServers
  try {
    servers = await startTestServers({
      config: overrides,
      adminRoutes: [clientsAdminRoutes({ clients })],
      publicRoutes: [registrationPublicRoutes({ clients })]
    })
  } catch (error) {
    await database.close()
    await entry.dropFreshDatabases()
    throw error
  }
  const adminBase = servers.adminUrl.replace(/\/$/, '')
  const publicBase = servers.publicUrl.replace(/\/$/, '')
  return {
    servers,
    config,
    clients,
    database,
    admin: new OAuth2Api(new Configuration({ basePath: adminBase })),
    oidc: (accessToken) => new OidcApi(new Configuration({ basePath: publicBase, ...(accessToken === undefined ? {} : { accessToken }) })),
    async close () {
      await servers.close()
      await database.close()
      await entry.dropFreshDatabases()
    }
  }
}

/** Resolves to the HTTP status and body of a rejected SDK call. */
export async function failure (promise: Promise<unknown>): Promise<{ status: number, data: { error: string, error_description: string } }> {
  try {
    await promise
  } catch (error) {
    const response = (error as { response?: { status: number, data: { error: string, error_description: string } } }).response
    if (response !== undefined) return response
    throw error
  }
  throw new Error('the call was expected to fail')
}
