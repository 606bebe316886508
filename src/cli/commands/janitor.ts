// `warden janitor [DSN]`: deletes expired tokens in bounded batches and expired trust relationships (hydra-api.md §4.19),
// as `hydra janitor`.
import type { Command } from 'commander'
import { CliError } from '../cli-error.js'
import { parseDurationMs } from '../../lib/duration.js'
import { resolveDsn } from './resolve-dsn.js'

export interface JanitorOptions {
  tokens?: boolean
  requests?: boolean
  grants?: boolean
  keepIfYounger?: string
  limit?: string
  batchSize?: string
  readFromEnv?: boolean
  config?: string[]
}

export interface JanitorIo {
  stdout: { write(text: string): unknown }
  env: Record<string, string | undefined>
  now?: () => Date
}

function positiveInteger (text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new CliError(`${flag} must be a whole number of at least 1, got "${text}"`)
  return Number(text)
}

export async function runJanitor (argument: string | undefined, options: JanitorOptions, io: JanitorIo): Promise<void> {
  if (options.tokens !== true && options.requests !== true && options.grants !== true) {
    throw new CliError('Janitor requires at least one of --tokens, --requests or --grants to be set.')
  }
  const limit = positiveInteger(options.limit ?? '10000', '--limit')
  const batchSize = positiveInteger(options.batchSize ?? '100', '--batch-size')
  if (batchSize > limit) throw new CliError('--batch-size cannot be greater than --limit')
  let keepMs: number
  try { keepMs = parseDurationMs(options.keepIfYounger ?? '0s') } catch { throw new CliError(`--keep-if-younger must be a duration such as 24h, got "${options.keepIfYounger ?? ''}"`) }
  const dsn = await resolveDsn(argument, options, io.env)
  // The database layer is imported when the command runs, not when the CLI starts.
  const [{ openDatabase }, { parseDsn }, { SqlTokensStore }, { SqlTrustStore }, { flushExpiredTokens }] = await Promise.all([
    import('../../persistence/sql/db.js'), import('../../persistence/sql/dsn.js'), import('../../persistence/sql/tokens.sql.js'),
    import('../../persistence/sql/trust.sql.js'), import('../../tokens/janitor.js')
  ])
  const database = openDatabase(parseDsn(dsn))
  try {
    await database.connect()
    // now − keep_if_younger is never later than now: Hydra's min(now, notAfter) for every table.
    const expiredBefore = new Date((io.now ?? (() => new Date()))().getTime() - keepMs)
    if (options.tokens === true) {
      const result = await flushExpiredTokens(new SqlTokensStore(database), { expiredBefore, limit, batchSize })
      io.stdout.write(`Deleted ${result.access} access token(s), ${result.refresh} refresh token(s) and ${result.code} authorization code(s) that expired before ${expiredBefore.toISOString()}.\n`)
    }
    // Warden keeps no unfinished login/consent requests (their state travels sealed in the challenges), so
    // there is nothing for --requests to delete.
    if (options.requests === true) io.stdout.write('Deleted 0 login/consent request(s): Warden stores only completed grants.\n')
    if (options.grants === true) {
      // One statement, as Hydra: --limit and --batch-size do not apply to trust relationships (a short table). Their
      // public keys stay in the issuer's key set, as in Hydra.
      const deleted = await new SqlTrustStore(database).deleteExpired(expiredBefore)
      io.stdout.write(`Deleted ${deleted} JWT-bearer trust relationship(s) that expired before ${expiredBefore.toISOString()}.\n`)
    }
  } catch (error) {
    if (error instanceof CliError || error instanceof (await import('../../config/problems.js')).ConfigError) throw error
    throw new CliError((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '')
  } finally {
    await database.close()
  }
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

export function registerJanitorCommand (program: Command, io: JanitorIo = { stdout: process.stdout, env: process.env }): void {
  program.command('janitor')
    .description('clean the database of expired access tokens, refresh tokens, authorization codes and trust relationships')
    .argument('[dsn]', 'database DSN')
    .option('--tokens', 'delete expired access tokens, refresh tokens and authorization codes')
    .option('--requests', 'delete abandoned login and consent requests')
    .option('--grants', 'delete expired JWT-bearer trust relationships')
    .option('--keep-if-younger <duration>', 'keep rows that expired less than this long ago, e.g. 24h', '0s')
    .option('--limit <n>', 'delete at most this many token rows per table', '10000')
    .option('--batch-size <n>', 'rows per delete statement', '100')
    .option('-e, --read-from-env', 'read the database DSN from the environment variable DSN')
    .option('-c, --config <path>', 'read the DSN from this config file; repeatable', collect)
    .action(async (dsn: string | undefined, options: JanitorOptions) => { await runJanitor(dsn, options, io) })
}
