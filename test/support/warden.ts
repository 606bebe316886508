// Boots a complete Warden (real container, database and listeners) for integration tests.
//
//   const warden = await startTestWarden({ config: { strategies: { access_token: 'jwt' } } })
//   ... fetch(warden.publicUrl + '.well-known/openid-configuration') ...
//   await warden.close()
//
// Listeners bind 127.0.0.1 on free ports chosen up front, so urls.self.issuer can name the real public port.
// The database is a SQLite file unless `dialect` (an entry of testDialects()) or `dsn` says otherwise. A SQLite one
// without `dsn` or `clock` is a copy of a database whose first start is done (seeded, below): migrations and key
// generation are tested where they are the subject, and a copy costs a millisecond instead of half a second.
//
// For `warden` child processes (test/support/processes.ts) whose test is not about the first start:
//
//   const env = { DSN: await seededSqliteDsn(join(dir, 'db.sqlite'), SECRET), ... }   // migrated, keys in place
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

async function kernelPort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
    })
  })
}

/** True when no other caller of this run has had `port` yet: a marker file, created with O_EXCL, in the shared queue. */
function claimPort (queue: string, port: number): boolean {
  try {
    closeSync(openSync(join(queue, `port-${port}`), 'wx'))
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

/**
 * A port nobody listens on. The test processes of one run (scripts/test.ts) ask the kernel at the same time, and it
 * may hand two of them the same free port before either binds it; each port is therefore handed out once per run.
 */
export async function freePort (): Promise<number> {
  const queue = process.env['WARDEN_TEST_QUEUE']
  for (;;) {
    const port = await kernelPort()
    if (queue === undefined || claimPort(queue, port)) return port
  }
}

export async function startTestWarden (options: StartTestWardenOptions = {}): Promise<TestWarden> {
  const overrides = options.config ?? {}
  const secrets = (overrides.secrets?.system ?? [TEST_SYSTEM_SECRET]) as readonly string[]
  // A ManualClock test may depend on when its keys were made, so it gets a fresh first start.
  const isSeeded = options.dsn === undefined && options.clock === undefined && (options.dialect?.dialect ?? 'sqlite') === 'sqlite'
  const seededFolder = isSeeded ? mkdtempSync(join(tmpdir(), 'warden-test-')) : undefined
  const dsn = options.dsn ?? (seededFolder !== undefined
    ? await seededSqliteDsn(join(seededFolder, 'db.sqlite'), secrets)
    : await (options.dialect ?? testDialects()[0] as TestDialect).createFreshDsn())
  const [publicPort, adminPort] = [await freePort(), await freePort()]
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
    close: async () => {
      await running.close()
      if (seededFolder !== undefined) rmSync(seededFolder, { recursive: true, force: true })
    }
  }
}

/** Template files by system secrets: one first start per secrets list and test process, then a file copy per use. */
const templates = new Map<string, Promise<string>>()
let templateFolder: string | undefined
let templateCount = 0

async function seededTemplate (secrets: readonly string[]): Promise<string> {
  const cacheKey = JSON.stringify(secrets)
  const cached = templates.get(cacheKey)
  if (cached !== undefined) return await cached
  if (templateFolder === undefined) {
    const folder = mkdtempSync(join(tmpdir(), 'warden-seeded-'))
    templateFolder = folder
    process.once('exit', () => { rmSync(folder, { recursive: true, force: true }) })
  }
  const file = join(templateFolder, `${templateCount++}.sqlite`)
  const made = (async () => {
    // The first start a process does (migrations, network row, default key sets sealed with secrets[0]), with
    // 2048-bit keys; close() checkpoints the write-ahead log, so the file alone is the whole database.
    await (await startTestWarden({ dsn: `sqlite://${file}?_fk=true`, config: { secrets: { system: secrets } } })).close()
    return file
  })()
  templates.set(cacheKey, made)
  made.catch(() => templates.delete(cacheKey))
  return await made
}

/**
 * Copies a SQLite database whose first start is done (migrated, network row, default key sets sealed with the
 * system secret) to `file` and returns its DSN. For `warden serve` processes where neither migrations nor key
 * generation is under test: a fresh start generates two 4096-bit RSA keys, seconds of CPU per process.
 */
export async function seededSqliteDsn (file: string, secret: string | readonly string[] = TEST_SYSTEM_SECRET): Promise<string> {
  copyFileSync(await seededTemplate(typeof secret === 'string' ? [secret] : secret), file)
  return `sqlite://${file}?_fk=true`
}
