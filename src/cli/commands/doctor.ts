// `warden doctor`: reads the configuration like `serve`, checks the database, migrations, keys, secrets, TLS and
// cookies, asks the running listeners which address its requests arrive from (doctor-live.ts), and prints each
// finding with the key to change. Exits 1 when something would stop Warden or break logins.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import type { Config } from '../../config/schema.js'
import type { SqlDatabase } from '../../persistence/sql/db.js'
import { processIo, type CliIo } from '../admin-client.js'
import { CliError } from '../cli-error.js'
import { DEV_DATA_DIRECTORY, developmentSystemSecret } from '../dev-data.js'
import { checkChallengeLifetime, checkCookies, checkIssuerAndTls, checkLoginApp, checkSecrets, describeBrowserAndGateway, describeEndpoints, type Finding } from '../doctor-checks.js'

interface Options { config?: string[], dev?: boolean, endpoint?: string, skipTlsVerify?: boolean, live: boolean }

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]
const MARK: Readonly<Record<Finding['severity'], string>> = { ok: '✔', info: 'ℹ', warn: '!', error: '✖' }

function firstLine (error: unknown): string {
  return ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').trim()
}

/** Database, migrations, and whether the stored keys open with secrets.system. */
async function checkDatabase (config: Readonly<Config>): Promise<Finding[]> {
  const { DEV_DSN } = await import('../../config/schema.js')
  const dsn = config.dsn ?? ''
  if (dsn === 'memory') return [{ severity: 'info', text: 'dsn is "memory": nothing persists, nothing to check' }]
  if (dsn === DEV_DSN && !existsSync(join(DEV_DATA_DIRECTORY, 'warden.sqlite'))) {
    return [{ severity: 'info', text: `the development database ${DEV_DSN} does not exist yet; \`npm start\` creates it` }]
  }
  const [{ openDatabase }, { pendingMigrations }, { SqlKeysStore }, { buildKeysService }, { DEFAULT_KEY_SETS }, { systemClock }] = await Promise.all([
    import('../../persistence/sql/db.js'), import('../../persistence/sql/migrator.js'), import('../../persistence/sql/keys.sql.js'),
    import('../../keys/keys.wiring.js'), import('../../keys/keys.service.js'), import('../../lib/clock.js')
  ])
  let database: SqlDatabase | undefined
  try {
    database = openDatabase(dsn)
    await database.connect({ giveUpAfterMs: 3000 })
    const findings: Finding[] = [{ severity: 'ok', text: `database reachable (${database.dsn.dialect})` }]
    const pending = await pendingMigrations(database)
    if (pending.length > 0) {
      findings.push({
        severity: config.dev ? 'info' : 'error',
        text: `${pending.length} migration(s) pending (${pending.map((migration) => migration.version).join(', ')})${config.dev ? '; --dev applies them at start' : '; serve refuses to start'}`,
        fix: 'warden migrate sql up -e (with DSN set)'
      })
      return findings
    }
    findings.push({ severity: 'ok', text: 'migrations: all applied' })
    const store = new SqlKeysStore(database)
    try {
      const count = await buildKeysService(config, { store, clock: systemClock }).assertStoredKeysReadable()
      findings.push({ severity: 'ok', text: `${count} stored JSON Web Key(s) open with secrets.system` })
    } catch (error) {
      findings.push({ severity: 'error', text: firstLine(error), fix: 'secrets.system: list the secret the keys were sealed with (new first, old after), then warden migrate secrets' })
    }
    for (const set of DEFAULT_KEY_SETS) {
      if ((await store.listSet(set)).length === 0) findings.push({ severity: 'info', text: `key set ${set} is empty; it is generated at the first start` })
    }
    return findings
  } catch (error) {
    return [{ severity: 'error', text: `database not reachable: ${firstLine(error)}`, fix: 'dsn / DSN' }]
  } finally {
    await database?.close()
  }
}

export async function runDoctor (options: Options, io: CliIo): Promise<Finding[]> {
  // Imported when the command runs, not when the CLI starts.
  const [{ ConfigError, loadConfig }, { checkServeConfig }, { planBundledUi }] = await Promise.all([
    import('../../config/load.js'), import('../../config/serve-checks.js'), import('../bundled-ui.js')
  ])
  let config: Readonly<Config>
  let probeSecret: string | undefined
  const findings: Finding[] = []
  try {
    const loaded = loadConfig({ files: options.config ?? [], flags: options.dev === true ? { dev: true } : {}, env: io.env })
    // Read, never create, the development secret `npm start` keeps (doctor must not change anything).
    const keepsDevSecret = existsSync(join(DEV_DATA_DIRECTORY, 'dev-system-secret'))
    let keptSecret: string | undefined
    const devSystemSecret = (isDevDsn: boolean): ReturnType<typeof developmentSystemSecret> => {
      const kept = keepsDevSecret ? developmentSystemSecret(isDevDsn) : undefined
      keptSecret = kept?.secret
      return kept
    }
    const checked = checkServeConfig(loaded, { mode: 'all', devSystemSecret })
    config = checked.config
    // A secret dev mode generated for this process alone cannot match the server's: the probe then goes unsigned.
    probeSecret = loaded.config.secrets.system[0] ?? keptSecret
    for (const warning of checked.warnings) findings.push({ severity: 'info', text: warning })
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return error.problems.map((problem) => ({ severity: 'error' as const, text: `configuration: ${problem}` }))
  }
  findings.push(...checkSecrets(config), ...checkIssuerAndTls(config), ...checkCookies(config), ...checkChallengeLifetime(config), ...checkLoginApp(config))
  // Show the URLs `serve all` would really use, the bundled UI's included.
  config = planBundledUi(config, 'all', undefined).config
  findings.push(...await checkDatabase(config))
  if (options.live) {
    const endpoint = options.endpoint === undefined ? {} : { endpoint: options.endpoint }
    const { liveChecks } = await import('../doctor-live.js')
    findings.push(...await liveChecks(config, { ...endpoint, skipTlsVerify: options.skipTlsVerify === true, secret: probeSecret }))
  }
  io.stdout.write('What browsers, clients and gateways will see:\n')
  for (const line of [...describeEndpoints(config), ...describeBrowserAndGateway(config)]) io.stdout.write(`  ${line}\n`)
  io.stdout.write('\n')
  return findings
}

export function registerDoctorCommand (program: Command, io: CliIo = processIo): void {
  program.command('doctor')
    .description('check the configuration, database, migrations, keys, secrets, TLS, cookies and the running server, and say what to change')
    .option('-c, --config <file>', 'a YAML or JSON configuration file; repeatable', collect)
    .option('--dev', 'check as `serve --dev` would run')
    .option('-e, --endpoint <url>', 'the public URL to probe through the gateway (default urls.self.public, else the issuer)')
    .option('--skip-tls-verify', 'probe the public URL even when its certificate does not verify')
    .option('--no-live', 'skip the requests to the running server (listeners and public URL)')
    .action(async (options: Options) => {
      const findings = await runDoctor(options, io)
      for (const finding of findings) {
        io.stdout.write(`${MARK[finding.severity]} ${finding.text}\n${finding.fix === undefined ? '' : `    → change: ${finding.fix}\n`}`)
      }
      const errors = findings.filter((finding) => finding.severity === 'error').length
      if (errors > 0) throw new CliError(`warden doctor found ${errors} problem(s) that stop Warden or break logins`)
      io.stdout.write('\nNo blocking problems found.\n')
    })
}
