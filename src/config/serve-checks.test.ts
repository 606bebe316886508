// Tests checkServeConfig: Hydra's start-up checks, and the values dev mode fills in.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConfigError, loadConfig, type LoadedConfig } from './load.js'
import { DEV_DSN } from './schema.js'
import { checkServeConfig, type ServeMode } from './serve-checks.js'

const SECRET = 'a-system-secret-0123456789'
const VALID = { URLS_SELF_ISSUER: 'https://auth.example.com/', DSN: 'postgres://db/warden', SECRETS_SYSTEM: SECRET }

function loaded (env: Record<string, string>, flags: { dev?: boolean, dangerousForceHttp?: boolean } = {}): LoadedConfig {
  return loadConfig({ files: [], flags, env })
}

function problemsOf (input: LoadedConfig, mode: ServeMode = 'all'): string[] {
  try {
    checkServeConfig(input, { mode })
  } catch (error) {
    assert.ok(error instanceof ConfigError)
    return error.problems
  }
  assert.fail('expected a ConfigError')
}

describe('checkServeConfig', () => {
  test('a complete config passes unchanged', () => {
    const input = loaded(VALID)
    const { config, warnings } = checkServeConfig(input, { mode: 'all' })
    assert.deepEqual(config, input.config)
    assert.ok(Object.isFrozen(config.urls.self))
    assert.deepEqual(warnings, [])
  })

  test('outside dev mode issuer, dsn and secrets are required, all reported at once', () => {
    assert.deepEqual(problemsOf(loaded({})), [
      'urls.self.issuer: must be set, for example to https://auth.example.com/ (from default)',
      'dsn: must be set, for example to postgres://user:password@host:5432/warden (from default)',
      'secrets.system: must hold at least one secret of 16 or more characters (from default)'
    ])
  })

  test('an http issuer needs dev mode or --dangerous-force-http', () => {
    const env = { ...VALID, URLS_SELF_ISSUER: 'http://auth.example.com/' }
    assert.deepEqual(problemsOf(loaded(env)),
      ['urls.self.issuer: must use https unless in dev mode (--dev), got "http://auth.example.com/" (from env URLS_SELF_ISSUER)'])
    assert.doesNotThrow(() => checkServeConfig(loaded(env, { dev: true }), { mode: 'all' }))
    assert.doesNotThrow(() => checkServeConfig(loaded(env, { dangerousForceHttp: true }), { mode: 'all' }))
  })

  test('the memory DSN only works with serve all', () => {
    const input = loaded({ ...VALID, DSN: 'memory' })
    assert.doesNotThrow(() => checkServeConfig(input, { mode: 'all' }))
    assert.match(problemsOf(input, 'public')[0] ?? '', /^dsn: "memory" only works with "serve all".*\(from env DSN\)$/)
    assert.equal(problemsOf(input, 'admin').length, 1)
  })

  test('dev mode fills issuer, dsn and a random secret, with a loud warning', () => {
    const input = loaded({ SERVE_PUBLIC_PORT: '9000' }, { dev: true })
    const { config, warnings } = checkServeConfig(input, { mode: 'all' })
    assert.equal(config.urls.self.issuer, 'http://127.0.0.1:9000/')
    assert.equal(config.dsn, DEV_DSN)
    assert.equal(config.secrets.system.length, 1)
    assert.match(config.secrets.system[0] ?? '', /^[A-Za-z0-9]{32}$/)
    assert.ok(warnings.some((warning) => warning.includes('DEV MODE') && warning.includes('NOT survive a restart')))
    assert.ok(Object.isFrozen(config.secrets.system))
    assert.equal(input.config.dsn, undefined, 'the input is left alone')
  })

  test('secrets shorter than 16 characters in a hand-built config', () => {
    const input = loaded(VALID)
    const config = { ...input.config, secrets: { ...input.config.secrets, system: [SECRET, 'short'] } }
    assert.deepEqual(problemsOf({ ...input, config }), ['secrets.system[1]: must be at least 16 characters, got 5 (from env SECRETS_SYSTEM)'])
  })

  test('pairwise subjects need a salt of at least 8 characters', () => {
    const env = { ...VALID, OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public,pairwise' }
    const expected = 'oidc.subject_identifiers.pairwise.salt: must be at least 8 characters when oidc.subject_identifiers.supported_types includes "pairwise"'
    assert.deepEqual(problemsOf(loaded(env)), [`${expected} (from default)`])
    assert.deepEqual(problemsOf(loaded({ ...env, OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: 'short' })),
      [`${expected} (from env OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT)`])
    assert.doesNotThrow(() => checkServeConfig(loaded({ ...env, OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: 'long-salt' }), { mode: 'all' }))
  })

  test('TLS termination ranges must be CIDRs', () => {
    const good = loaded({ ...VALID, SERVE_TLS_ALLOW_TERMINATION_FROM: '127.0.0.1/32,10.0.0.0/8,::1/128,fd00::/8' })
    assert.doesNotThrow(() => checkServeConfig(good, { mode: 'all' }))
    const bad = loaded({ ...VALID, SERVE_TLS_ALLOW_TERMINATION_FROM: '127.0.0.1/32,10.0.0/8', SERVE_PUBLIC_TLS_ALLOW_TERMINATION_FROM: '["10.0.0.0/33"]' })
    assert.deepEqual(problemsOf(bad), [
      'serve.tls.allow_termination_from[1]: "10.0.0/8" is not an IP address or CIDR range (from env SERVE_TLS_ALLOW_TERMINATION_FROM)',
      'serve.public.tls.allow_termination_from[0]: "10.0.0.0/33" has an invalid prefix length (expected 0-32) (from env SERVE_PUBLIC_TLS_ALLOW_TERMINATION_FROM)'
    ])
  })

  test('a certificate needs its key and a key its certificate', () => {
    const input = loaded({ ...VALID, SERVE_TLS_CERT_PATH: '/etc/warden/cert.pem', SERVE_ADMIN_TLS_KEY_BASE64: 'a2V5' })
    assert.deepEqual(problemsOf(input), [
      'serve.tls.cert and serve.tls.key must be given together: serve.tls.cert is set (from env SERVE_TLS_CERT_PATH) but serve.tls.key is not',
      'serve.admin.tls.key and serve.admin.tls.cert must be given together: serve.admin.tls.key is set (from env SERVE_ADMIN_TLS_KEY_BASE64) but serve.admin.tls.cert is not'
    ])
  })

  test('UNIX socket paths must be absolute, for the listeners being served', () => {
    const input = loaded({ ...VALID, SERVE_ADMIN_HOST: 'unix:run/admin.sock' })
    assert.deepEqual(problemsOf(input, 'admin'),
      ['serve.admin.host: a UNIX socket path must be absolute, got "unix:run/admin.sock" (from env SERVE_ADMIN_HOST)'])
    assert.doesNotThrow(() => checkServeConfig(input, { mode: 'public' }))
    assert.doesNotThrow(() => checkServeConfig(loaded({ ...VALID, SERVE_ADMIN_HOST: 'unix:/run/admin.sock' }), { mode: 'all' }))
  })

  test('warns about leaking sensitive values and about ignored keys', () => {
    const input = loaded({ ...VALID, LOG_LEAK_SENSITIVE_VALUES: 'true', TRACING_PROVIDER: 'otel' })
    const { warnings } = checkServeConfig({ ...input, warnings: ['earlier'] }, { mode: 'all' })
    assert.equal(warnings[0], 'earlier')
    assert.match(warnings.join('\n'), /log\.leak_sensitive_values is true/)
    assert.match(warnings.join('\n'), /tracing\.\* is not implemented yet/)
  })
})
