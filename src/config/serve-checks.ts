// Start-up checks for `serve`, as Hydra makes them; dev mode fills the issuer, DSN and system secret instead of failing.
import { isAbsolute } from 'node:path'
import { parseCidrList } from '../lib/cidr.js'
import { randomString } from '../lib/random.js'
import { deepFreeze } from './load.js'
import { ConfigError, problemLine, sourceOf, type SourceMap } from './problems.js'
import { DEV_DSN, type Config } from './schema.js'
import { listenerUrl } from './urls.js'

export type ServeMode = 'all' | 'public' | 'admin'

export interface ServeCheckInput {
  config: Readonly<Config>
  warnings?: string[]
  forceHttp?: boolean
  sources?: SourceMap
}

export interface CheckedConfig {
  /** A new frozen config, with dev-mode values filled in. */
  config: Readonly<Config>
  /** The input's warnings followed by the ones found here. */
  warnings: string[]
}

interface Check {
  config: Config
  mode: ServeMode
  isDev: boolean
  forceHttp: boolean
  sources: SourceMap | undefined
  problems: string[]
  warnings: string[]
  isUsingDevDsn: boolean
  devSystemSecret: ServeCheckOptions['devSystemSecret']
}

const SECRET_MIN_LENGTH = 16
const SALT_MIN_LENGTH = 8
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

function problem (check: Check, path: string[], text: string): void {
  check.problems.push(problemLine(path, text, check.sources))
}

function checkIssuer (check: Check): void {
  const issuer = check.config.urls.self.issuer
  if (issuer === undefined) {
    if (!check.isDev) return problem(check, ['urls', 'self', 'issuer'], 'must be set, for example to https://auth.example.com/')
    check.config.urls.self.issuer = listenerUrl(check.config, 'public')
    check.warnings.push(`urls.self.issuer is not set; dev mode uses ${check.config.urls.self.issuer}`)
    return
  }
  if (!issuer.toLowerCase().startsWith('https://') && !check.isDev && !check.forceHttp) {
    problem(check, ['urls', 'self', 'issuer'], `must use https unless in dev mode (--dev), got ${JSON.stringify(issuer)}`)
  }
}

function checkDsn (check: Check): void {
  const { dsn } = check.config
  if (dsn === undefined) {
    if (!check.isDev) return problem(check, ['dsn'], 'must be set, for example to postgres://user:password@host:5432/warden')
    check.config.dsn = DEV_DSN
    check.isUsingDevDsn = true
    check.warnings.push(`dsn is not set; dev mode uses ${DEV_DSN} (relative to the working directory)`)
    return
  }
  if (dsn === 'memory' && check.mode !== 'all') {
    problem(check, ['dsn'], `"memory" only works with "serve all": with "serve ${check.mode}" the other listener's process would see none of this process's data`)
  }
}

function checkSecrets (check: Check): void {
  const { system } = check.config.secrets
  if (system.length === 0) {
    if (!check.isDev) return problem(check, ['secrets', 'system'], `must hold at least one secret of ${SECRET_MIN_LENGTH} or more characters`)
    const kept = check.devSystemSecret?.(check.isUsingDevDsn)
    if (kept !== undefined) {
      check.config.secrets.system = [kept.secret]
      check.warnings.push(`!!! DEV MODE: secrets.system is not set, so the development secret kept in ${kept.path} is used, ` +
        'which keeps the development database readable across restarts. Never run like this in production: set SECRETS_SYSTEM.')
      return
    }
    check.config.secrets.system = [randomString(32, ALPHANUMERIC)]
    check.warnings.push('!!! DEV MODE: secrets.system is not set, so a random secret was generated for this process only. ' +
      'Tokens, sessions and encrypted keys will NOT survive a restart. Never run like this in production: set SECRETS_SYSTEM.')
  }
  for (const [index, secret] of system.entries()) {
    if (secret.length < SECRET_MIN_LENGTH) {
      problem(check, ['secrets', 'system', String(index)], `must be at least ${SECRET_MIN_LENGTH} characters, got ${secret.length}`)
    }
  }
}

function checkPairwise (check: Check): void {
  const { supported_types: types, pairwise } = check.config.oidc.subject_identifiers
  if (types.includes('pairwise') && (pairwise.salt ?? '').length < SALT_MIN_LENGTH) {
    problem(check, ['oidc', 'subject_identifiers', 'pairwise', 'salt'],
      `must be at least ${SALT_MIN_LENGTH} characters when oidc.subject_identifiers.supported_types includes "pairwise"`)
  }
}

type PemSource = { path?: string, base64?: string } | undefined
interface TlsBlock { cert?: PemSource, key?: PemSource, allow_termination_from?: string[] }

function checkTlsBlock (check: Check, path: string[], block: TlsBlock | undefined): void {
  if (block === undefined) return
  for (const [index, entry] of (block.allow_termination_from ?? []).entries()) {
    try {
      parseCidrList([entry])
    } catch (error) {
      problem(check, [...path, 'allow_termination_from', String(index)], (error as Error).message)
    }
  }
  const isSet = (pem: PemSource): boolean => pem?.path !== undefined || pem?.base64 !== undefined
  for (const part of ['cert', 'key'] as const) {
    if (block[part]?.path !== undefined && block[part]?.base64 !== undefined) problem(check, [...path, part], 'give either path or base64, not both')
  }
  if (isSet(block.cert) !== isSet(block.key)) {
    const [given, missing] = isSet(block.cert) ? ['cert', 'key'] : ['key', 'cert']
    const name = path.join('.')
    check.problems.push(`${name}.${given} and ${name}.${missing} must be given together: ${name}.${given} is set ` +
      `(from ${sourceOf(check.sources, [...path, given])}) but ${name}.${missing} is not`)
  }
}

function checkListeners (check: Check): void {
  const listeners = check.mode === 'all' ? (['public', 'admin'] as const) : [check.mode]
  for (const listener of listeners) {
    const { host } = check.config.serve[listener]
    if (host.startsWith('unix:') && !isAbsolute(host.slice('unix:'.length))) {
      problem(check, ['serve', listener, 'host'], `a UNIX socket path must be absolute, got ${JSON.stringify(host)}`)
    }
  }
  checkTlsBlock(check, ['serve', 'tls'], check.config.serve.tls)
  checkTlsBlock(check, ['serve', 'public', 'tls'], check.config.serve.public.tls)
  checkTlsBlock(check, ['serve', 'admin', 'tls'], check.config.serve.admin.tls)
}

function collectWarnings (check: Check): void {
  const { config } = check
  if (config.log.leak_sensitive_values) {
    check.warnings.push('log.leak_sensitive_values is true: logs will contain secrets such as cookies and tokens. Never in production.')
  }
  if (config.tracing.provider !== undefined) check.warnings.push('tracing.* is not implemented yet and is ignored.')
  if (config.profiling !== undefined) check.warnings.push('profiling is not supported and is ignored.')
}

/** Checks a loaded config before serving; throws one ConfigError listing every problem. */
export interface ServeCheckOptions {
  mode: ServeMode
  /**
   * Dev mode without secrets.system: supplies a secret kept on disk beside the development database, so
   * `npm start` can restart without losing its encrypted keys. Undefined → a random secret for this process.
   */
  devSystemSecret?: (isUsingDevDsn: boolean) => { secret: string, path: string } | undefined
}

export function checkServeConfig (loaded: ServeCheckInput, options: ServeCheckOptions): CheckedConfig {
  const check: Check = {
    config: structuredClone(loaded.config) as Config,
    mode: options.mode,
    isDev: loaded.config.dev,
    forceHttp: loaded.forceHttp ?? false,
    sources: loaded.sources,
    problems: [],
    warnings: [...(loaded.warnings ?? [])],
    isUsingDevDsn: false,
    devSystemSecret: options.devSystemSecret
  }
  checkIssuer(check)
  checkDsn(check)
  checkSecrets(check)
  checkPairwise(check)
  checkListeners(check)
  collectWarnings(check)
  if (check.problems.length > 0) throw new ConfigError(check.problems)
  return { config: deepFreeze(check.config), warnings: check.warnings }
}
