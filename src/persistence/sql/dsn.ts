// Parses Hydra-style DSNs (postgres://, cockroach://, mysql:// in URL or Go form, sqlite://, memory) into driver options.
import { availableParallelism } from 'node:os'
import { isAbsolute, resolve } from 'node:path'
import { parseDurationMs } from '../../lib/duration.js'
import type { Dialect } from './database.js'

/** Pool sizing; 0 for a time limit means "no limit" (Go's database/sql semantics). */
export interface PoolOptions {
  maxConns: number
  maxIdleConns: number
  maxConnLifetimeMs: number
  maxConnIdleTimeMs: number
}

interface DsnBase {
  /** The DSN with its password replaced by `***`, safe for logs and error messages. */
  redacted: string
  pool: PoolOptions
  /** Query options we accept for compatibility but do not act on (Go driver knobs such as parseTime). */
  ignoredOptions: string[]
}

export interface SqliteDsn extends DsnBase {
  dialect: 'sqlite'
  /** Absolute file path, or ':memory:'. */
  filename: string
  isMemory: boolean
  busyTimeoutMs: number
}

export type PostgresSslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full'

export interface PostgresDsn extends DsnBase {
  dialect: 'postgres'
  /** True for cockroach:// (same wire protocol; no advisory locks). */
  isCockroach: boolean
  host: string
  port: number
  user: string
  password?: string
  database: string
  sslMode: PostgresSslMode
  sslRootCertPath?: string
  sslCertPath?: string
  sslKeyPath?: string
  applicationName?: string
  connectTimeoutMs: number
}

export interface MysqlDsn extends DsnBase {
  dialect: 'mysql'
  host: string
  port: number
  /** Set for unix(/path) addresses; host/port are then unused. */
  socketPath?: string
  user: string
  password?: string
  database: string
  /** Go driver `tls=`: false, 'verify' (true) or 'skip-verify' (skip-verify / preferred). */
  tls: false | 'verify' | 'skip-verify'
  charset?: string
  connectTimeoutMs: number
}

export type ParsedDsn = SqliteDsn | PostgresDsn | MysqlDsn

/** A DSN that cannot be used; the message never contains the password. */
export class DsnError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'DsnError'
  }
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
const POOL_KEYS = ['max_conns', 'max_idle_conns', 'max_conn_lifetime', 'max_conn_idle_time'] as const

function defaultPool (): PoolOptions {
  const cpus = availableParallelism()
  return { maxConns: cpus * 2, maxIdleConns: cpus, maxConnLifetimeMs: 0, maxConnIdleTimeMs: 0 }
}

/** Replaces whatever sits between `user:` and the last `@` of the authority with `***`. */
export function redactDsn (dsn: string): string {
  return dsn.replace(/^([a-z0-9+]+:\/\/[^:/@]*:)(.*)@/i, (_all, head: string, _password: string) => `${head}***@`)
}

export function parseDsn (dsn: string): ParsedDsn {
  const text = dsn.trim()
  const redacted = redactDsn(text)
  const fail = (why: string): never => { throw new DsnError(`invalid DSN "${redacted}": ${why}`) }
  if (text === '') throw new DsnError('the DSN is empty: use e.g. postgres://user:password@host:5432/db, mysql://user:password@tcp(host:3306)/db, sqlite:///path/db.sqlite or memory')
  if (text === 'memory') {
    return { dialect: 'sqlite', filename: ':memory:', isMemory: true, busyTimeoutMs: 5000, redacted, pool: defaultPool(), ignoredOptions: [] }
  }
  const scheme = /^([a-z0-9+]+):\/\//i.exec(text)?.[1]?.toLowerCase()
  switch (scheme) {
    case 'sqlite': case 'sqlite3': return parseSqlite(text, redacted, fail)
    case 'postgres': case 'postgresql': case 'cockroach': return parsePostgres(text, scheme, redacted, fail)
    case 'mysql': return parseMysql(text, redacted, fail)
    default:
      return fail(`unsupported scheme${scheme === undefined ? '' : ` "${scheme}"`}: use postgres://, cockroach://, mysql://, sqlite:// or memory`)
  }
}

type Fail = (why: string) => never

/** Splits a raw query string into pool options (removed) and everything else. */
function takeOptions (query: string, fail: Fail): { pool: PoolOptions, options: Map<string, string> } {
  const pool = defaultPool()
  const options = new Map<string, string>()
  for (const [key, value] of new URLSearchParams(query)) {
    if (!(POOL_KEYS as readonly string[]).includes(key)) { options.set(key, value); continue }
    if (key === 'max_conns' || key === 'max_idle_conns') {
      if (!/^\d+$/.test(value)) fail(`${key} must be a non-negative integer, got "${value}"`)
      if (key === 'max_conns') pool.maxConns = Number(value)
      else pool.maxIdleConns = Number(value)
      continue
    }
    let ms: number
    try { ms = parseDurationMs(value) } catch { return fail(`${key} must be a duration such as "30s" or "5m", got "${value}"`) }
    if (ms < 0) fail(`${key} must not be negative`)
    if (key === 'max_conn_lifetime') pool.maxConnLifetimeMs = ms
    else pool.maxConnIdleTimeMs = ms
  }
  if (pool.maxConns === 0) pool.maxConns = defaultPool().maxConns
  return { pool, options }
}

function splitQuery (text: string): [string, string] {
  const at = text.indexOf('?')
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)]
}

function parseSqlite (text: string, redacted: string, fail: Fail): SqliteDsn {
  const [location, query] = splitQuery(text.replace(/^[a-z0-9]+:\/\//i, ''))
  const { pool, options } = takeOptions(query, fail)
  let busyTimeoutMs = 5000
  const busy = options.get('_busy_timeout') ?? options.get('_timeout')
  if (busy !== undefined) {
    if (!/^\d+$/.test(busy)) fail(`_busy_timeout must be milliseconds, got "${busy}"`)
    busyTimeoutMs = Number(busy)
  }
  const path = decodeURIComponent(location.replace(/^file:/, ''))
  const isMemory = path === ':memory:' || options.get('mode') === 'memory'
  const ignoredOptions = [...options.keys()].filter((key) => key !== '_busy_timeout' && key !== '_timeout')
  if (isMemory) return { dialect: 'sqlite', filename: ':memory:', isMemory, busyTimeoutMs, redacted, pool, ignoredOptions }
  if (path === '') fail('no database file: use sqlite:///absolute/path.sqlite or sqlite://./relative.sqlite')
  const filename = isAbsolute(path) ? path : resolve(process.cwd(), path)
  return { dialect: 'sqlite', filename, isMemory: false, busyTimeoutMs, redacted, pool, ignoredOptions }
}

function parsePort (text: string, fallback: number, fail: Fail): number {
  if (text === '') return fallback
  const port = Number(text)
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) fail(`port "${text}" is not a number between 1 and 65535`)
  return port
}

function decodePart (text: string, what: string, fail: Fail): string {
  try { return decodeURIComponent(text) } catch { return fail(`the ${what} contains an invalid %-escape`) }
}

function parseTimeoutSeconds (value: string | undefined, key: string, fail: Fail): number {
  if (value === undefined) return DEFAULT_CONNECT_TIMEOUT_MS
  if (!/^\d+$/.test(value)) fail(`${key} must be whole seconds, got "${value}"`)
  return Number(value) === 0 ? 0 : Number(value) * 1000
}

const SSL_MODES: readonly PostgresSslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']

function parsePostgres (text: string, scheme: string, redacted: string, fail: Fail): PostgresDsn {
  let url: URL
  try {
    url = new URL(text.replace(/^[a-z0-9+]+:/i, 'postgres:'))
  } catch {
    // The URL parser rejects a bad port without saying so; name it when that is the reason.
    const port = /^[a-z0-9+]+:\/\/(?:.*@)?(?:\[[^\]]*\]|[^:/?#@]*):([^/?#]*)/i.exec(text)?.[1]
    if (port !== undefined) parsePort(port, 5432, fail)
    return fail('it is not a URL of the form postgres://user:password@host:5432/database')
  }
  const { pool, options } = takeOptions(url.search.slice(1), fail)
  const sslMode = (options.get('sslmode') ?? 'prefer') as PostgresSslMode
  if (!SSL_MODES.includes(sslMode)) fail(`sslmode "${sslMode}" is not one of ${SSL_MODES.join(', ')}`)
  const database = decodePart(url.pathname.replace(/^\//, ''), 'database name', fail)
  const host = options.get('host') ?? decodePart(url.hostname.replace(/^\[(.*)\]$/, '$1'), 'host', fail)
  if (host === '') fail('no host: use postgres://user:password@host:5432/database')
  const known = new Set(['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'application_name', 'connect_timeout', 'host'])
  const result: PostgresDsn = {
    dialect: 'postgres',
    isCockroach: scheme === 'cockroach',
    host,
    port: parsePort(url.port, scheme === 'cockroach' ? 26257 : 5432, fail),
    user: decodePart(url.username, 'user name', fail) || 'postgres',
    database: database === '' ? 'postgres' : database,
    sslMode,
    connectTimeoutMs: parseTimeoutSeconds(options.get('connect_timeout'), 'connect_timeout', fail),
    redacted,
    pool,
    ignoredOptions: [...options.keys()].filter((key) => !known.has(key))
  }
  if (url.password !== '') result.password = decodePart(url.password, 'password', fail)
  const rootCert = options.get('sslrootcert')
  if (rootCert !== undefined) result.sslRootCertPath = rootCert
  const cert = options.get('sslcert')
  if (cert !== undefined) result.sslCertPath = cert
  const key = options.get('sslkey')
  if (key !== undefined) result.sslKeyPath = key
  const applicationName = options.get('application_name')
  if (applicationName !== undefined) result.applicationName = applicationName
  return result
}

/**
 * MySQL DSNs come in the Go driver's form `user:pass@tcp(host:3306)/db?x=y` (Hydra's documented one, with a
 * `mysql://` prefix) or as a URL `mysql://user:pass@host:3306/db`. The Go form does not %-decode, as the Go driver.
 */
function parseMysql (text: string, redacted: string, fail: Fail): MysqlDsn {
  const body = text.replace(/^mysql:\/\//i, '')
  const [beforeQuery, query] = splitQuery(body)
  const slash = beforeQuery.lastIndexOf('/')
  if (slash === -1) fail('no database name: use mysql://user:password@tcp(host:3306)/database')
  const authority = beforeQuery.slice(0, slash)
  const database = beforeQuery.slice(slash + 1)
  if (database === '') fail('no database name: use mysql://user:password@tcp(host:3306)/database')
  const at = authority.lastIndexOf('@')
  const credentials = at === -1 ? '' : authority.slice(0, at)
  const address = at === -1 ? authority : authority.slice(at + 1)
  const goForm = /^[a-z]*\(.*\)$/i.exec(address) !== null || address === '' || /^(tcp|unix)$/i.test(address)
  const colon = credentials.indexOf(':')
  const rawUser = colon === -1 ? credentials : credentials.slice(0, colon)
  const rawPassword = colon === -1 ? undefined : credentials.slice(colon + 1)
  const decode = (part: string, what: string): string => goForm ? part : decodePart(part, what, fail)
  const { pool, options } = takeOptions(query, fail)
  const result: MysqlDsn = {
    dialect: 'mysql',
    host: '127.0.0.1',
    port: 3306,
    user: decode(rawUser, 'user name') || 'root',
    database: decode(database, 'database name'),
    tls: false,
    connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
    redacted,
    pool,
    ignoredOptions: [...options.keys()].filter((key) => !['tls', 'charset', 'timeout'].includes(key))
  }
  if (rawPassword !== undefined) result.password = decode(rawPassword, 'password')
  applyMysqlAddress(result, address, goForm, fail)
  applyMysqlOptions(result, options, fail)
  return result
}

function applyMysqlAddress (result: MysqlDsn, address: string, goForm: boolean, fail: Fail): void {
  if (!goForm) {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(.*))?$/.exec(address)
    if (match === null) return fail(`cannot read the address "${address}"; use host:3306 or tcp(host:3306)`)
    result.host = (match[1] ?? '').replace(/^\[(.*)\]$/, '$1')
    result.port = parsePort(match[2] ?? '', 3306, fail)
    return
  }
  const match = /^([a-z]*)(?:\((.*)\))?$/i.exec(address)
  const protocol = (match?.[1] ?? '').toLowerCase()
  const inner = match?.[2] ?? ''
  if (protocol === 'unix') {
    if (inner === '') fail('unix() needs a socket path')
    result.socketPath = inner
    return
  }
  if (protocol !== '' && protocol !== 'tcp') fail(`protocol "${protocol}" is not supported; use tcp(host:port) or unix(/path)`)
  if (inner === '') return
  const hostPort = /^(\[[^\]]+\]|[^:]*)(?::(.*))?$/.exec(inner)
  result.host = (hostPort?.[1] ?? '').replace(/^\[(.*)\]$/, '$1') || '127.0.0.1'
  result.port = parsePort(hostPort?.[2] ?? '', 3306, fail)
}

function applyMysqlOptions (result: MysqlDsn, options: Map<string, string>, fail: Fail): void {
  const tls = options.get('tls')
  if (tls !== undefined) {
    if (tls === 'true') result.tls = 'verify'
    else if (tls === 'skip-verify' || tls === 'preferred') result.tls = 'skip-verify'
    else if (tls !== 'false') fail(`tls "${tls}" is not one of true, false, skip-verify, preferred`)
  }
  const charset = options.get('charset')
  if (charset !== undefined) result.charset = charset.split(',')[0] ?? charset
  const timeout = options.get('timeout')
  if (timeout !== undefined) {
    try { result.connectTimeoutMs = parseDurationMs(timeout) } catch { fail(`timeout must be a duration such as "10s", got "${timeout}"`) }
  }
}

export function isDialect (value: string): value is Dialect {
  return value === 'sqlite' || value === 'postgres' || value === 'mysql'
}
