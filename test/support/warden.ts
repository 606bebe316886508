// Boots a complete Warden (real container, database and listeners) for integration tests.
//
//   const warden = await startTestWarden({ config: { strategies: { access_token: 'jwt' } } })
//   ... fetch(warden.publicUrl + '.well-known/openid-configuration') ...
//   await warden.close()
//
// Listeners bind 127.0.0.1 on free ports chosen up front, so urls.self.issuer can name the real public port.
// The database is a fresh SQLite file unless `dialect` (an entry of testDialects()) or `dsn` says otherwise.
import { createServer } from 'node:net'
import { Configuration } from '@ory/hydra-client'
import type { Config } from '../../src/config/schema.js'
import { startWarden, type RunningWarden } from '../../src/app/warden.js'
import type { Clock } from '../../src/lib/clock.js'
import { testDialects, type TestDialect } from './databases.js'
import { captureLogger, testConfig, type DeepPartial } from './start-servers.js'

export const TEST_SYSTEM_SECRET = 'a-test-system-secret-of-32-chars'

export interface TestWarden {
  /** Base URLs ending in '/'. */
  publicUrl: string
  adminUrl: string
  config: Config
  dsn: string
  running: RunningWarden
  logLines: string[]
  /** @ory/hydra-client configuration for the admin API. */
  adminSdk: Configuration
  publicSdk: Configuration
  close(): Promise<void>
}

export interface StartTestWardenOptions {
  config?: DeepPartial<Config>
  dialect?: TestDialect
  dsn?: string
  clock?: Clock
  which?: 'all' | 'public' | 'admin'
  /** `--dangerous-force-http` (default true); false lets the TLS config decide the mode (e.g. allow_termination_from). */
  forceHttp?: boolean
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
    })
  })
}

export async function startTestWarden (options: StartTestWardenOptions = {}): Promise<TestWarden> {
  const entry = options.dialect ?? testDialects()[0] as TestDialect
  const dsn = options.dsn ?? await entry.createFreshDsn()
  const [publicPort, adminPort] = [await freePort(), await freePort()]
  const overrides = options.config ?? {}
  const config = testConfig({
    ...overrides,
    dsn,
    serve: {
      ...overrides.serve,
      public: { host: '127.0.0.1', port: publicPort, ...overrides.serve?.public },
      admin: { host: '127.0.0.1', port: adminPort, ...overrides.serve?.admin }
    },
    urls: { ...overrides.urls, self: { issuer: `http://127.0.0.1:${publicPort}/`, ...overrides.urls?.self } },
    secrets: { system: [TEST_SYSTEM_SECRET], ...overrides.secrets }
  })
  const { logger, lines } = captureLogger(config)
  const running = await startWarden({
    config,
    logger,
    which: options.which ?? 'all',
    forceHttp: options.forceHttp ?? true,
    isCollectingProcessMetrics: false,
    isMigratingAutomatically: true,
    container: { keyGeneration: { rsaModulusBits: 2048 }, ...(options.clock === undefined ? {} : { clock: options.clock }) }
  })
  const publicUrl = `${running.publicUrl ?? ''}/`
  const adminUrl = `${running.adminUrl ?? ''}/`
  return {
    publicUrl,
    adminUrl,
    config,
    dsn,
    running,
    logLines: lines,
    adminSdk: new Configuration({ basePath: adminUrl.replace(/\/$/, '') }),
    publicSdk: new Configuration({ basePath: publicUrl.replace(/\/$/, '') }),
    close: async () => { await running.close() }
  }
}
