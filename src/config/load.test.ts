// Tests loadConfig: sources and precedence, file formats, environment casting, and every problem line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { ConfigError, loadConfig, type LoadConfigOptions } from './load.js'
import { sourceOf } from './problems.js'

const folder = mkdtempSync(join(tmpdir(), 'warden-config-'))
after(() => rmSync(folder, { recursive: true, force: true }))

function file (name: string, text: string): string {
  const path = join(folder, name)
  writeFileSync(path, text)
  return path
}

function load (options: Partial<LoadConfigOptions> = {}) {
  return loadConfig({ files: options.files ?? [], flags: options.flags ?? {}, env: options.env ?? {} })
}

function problemsOf (options: Partial<LoadConfigOptions>): string[] {
  try {
    load(options)
  } catch (error) {
    assert.ok(error instanceof ConfigError)
    assert.equal(error.message, error.problems.join('\n'))
    return error.problems
  }
  assert.fail('expected a ConfigError')
}

describe('loadConfig: defaults and precedence', () => {
  test('defaults fill every section', () => {
    const { config, warnings, forceHttp } = load()
    assert.equal(config.serve.public.port, 4444)
    assert.equal(config.serve.admin.port, 4445)
    assert.equal(config.serve.admin.socket.mode, 493)
    assert.deepEqual(config.serve.tls.allow_termination_from, [])
    assert.equal(config.serve.tls.enabled, undefined)
    assert.equal(config.ttl.access_token, '1h')
    assert.equal(config.oauth2.hashers.bcrypt.cost, 10)
    assert.deepEqual(config.oidc.subject_identifiers.supported_types, ['public'])
    assert.equal(config.serve.max_request_body_bytes, 1048576)
    assert.equal(config.serve.shutdown_timeout, '10s')
    assert.equal(config.dsn, undefined)
    assert.deepEqual(warnings, [])
    assert.equal(forceHttp, false)
  })

  test('the config is deep-frozen', () => {
    const { config } = load()
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.serve.public.cors.allowed_methods))
    assert.throws(() => { (config.serve.public as { port: number }).port = 1 }, TypeError)
  })

  test('file < flag < env', () => {
    const path = file('precedence.yaml', 'dev: false\nserve:\n  public:\n    port: 1000\n')
    assert.equal(load({ files: [path] }).config.serve.public.port, 1000)
    assert.equal(load({ files: [path], env: { SERVE_PUBLIC_PORT: '3000' } }).config.serve.public.port, 3000)
    const flagged = load({ files: [path], flags: { dev: true } })
    assert.equal(flagged.config.dev, true)
    assert.equal(sourceOf(flagged.sources, ['dev']), 'flag --dev')
    assert.equal(load({ files: [path], flags: { dev: true }, env: { DEV: 'false' } }).config.dev, false)
    assert.equal(load({ flags: { sqaOptOut: true } }).config.sqa.opt_out, true)
  })

  test('later files override earlier ones, merging objects and replacing lists', () => {
    const first = file('first.yaml', 'serve:\n  public: {port: 1001}\n  admin: {port: 1002}\nsecrets:\n  system: [aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb]\n')
    const second = file('second.json', '{"serve": {"public": {"port": 2001}}, "secrets": {"system": ["cccccccccccccccc"]}}')
    const { config, sources } = load({ files: [first, second] })
    assert.equal(config.serve.public.port, 2001)
    assert.equal(config.serve.admin.port, 1002)
    assert.deepEqual(config.secrets.system, ['cccccccccccccccc'])
    assert.equal(sourceOf(sources, ['serve', 'admin', 'port']), `file ${first}`)
    assert.equal(sourceOf(sources, ['serve', 'public', 'port']), `file ${second}`)
    assert.equal(load({ files: [`${second},${first}`] }).config.serve.public.port, 1001)
  })

  test('YAML, JSON, and JSON without extension; a key without value counts as unset', () => {
    assert.equal(load({ files: [file('a.yml', 'log:\n  level: debug\ndsn:\n')] }).config.log.level, 'debug')
    assert.equal(load({ files: [file('b.json', '{"log": {"format": "json"}}')] }).config.log.format, 'json')
    assert.equal(load({ files: [file('c', '{"log": {"format": "json_pretty"}}')] }).config.log.format, 'json_pretty')
    assert.equal(load({ files: [file('empty.yaml', '# nothing\n')] }).config.log.level, 'info')
  })

  test('socket modes: YAML octal, octal strings and integers', () => {
    const yaml = load({ files: [file('mode.yaml', 'serve:\n  admin:\n    socket: {mode: 0770}\n  public:\n    socket: {mode: "0o750"}\n')] })
    assert.equal(yaml.config.serve.admin.socket.mode, 0o770)
    assert.equal(yaml.config.serve.public.socket.mode, 0o750)
    assert.equal(load({ files: [file('mode.json', '{"serve": {"admin": {"socket": {"mode": "0770"}}}}')] }).config.serve.admin.socket.mode, 504)
    assert.equal(load({ env: { SERVE_ADMIN_SOCKET_MODE: '0770' } }).config.serve.admin.socket.mode, 504)
    assert.equal(load({ env: { SERVE_ADMIN_SOCKET_MODE: '504' } }).config.serve.admin.socket.mode, 504)
  })

  test('numbers written for durations are read as text', () => {
    const { config } = load({ files: [file('ttl.yaml', 'ttl: {refresh_token: -1}\noauth2: {grant: {refresh_token: {rotation_grace_period: 0}}}\n')] })
    assert.equal(config.ttl.refresh_token, '-1')
    assert.equal(config.oauth2.grant.refresh_token.rotation_grace_period, '0')
  })

  test('--dangerous-force-http is reported and warned about', () => {
    const { forceHttp, warnings } = load({ flags: { dangerousForceHttp: true } })
    assert.equal(forceHttp, true)
    assert.match(warnings.join('\n'), /--dangerous-force-http/)
  })
})

describe('loadConfig: environment variables', () => {
  test('casts numbers, booleans, lists and objects to the schema type', () => {
    const { config } = load({
      env: {
        SERVE_ADMIN_PORT: '5000',
        OAUTH2_EXPOSE_INTERNAL_ERRORS: 'true',
        OAUTH2_PKCE_ENFORCED: '1',
        TTL_ACCESS_TOKEN: '2h',
        SECRETS_SYSTEM: 'new-secret-0123456789, old-secret-0123456789',
        SECRETS_COOKIE: '["cookie-secret-0123456789"]',
        SERVE_PUBLIC_CORS: '{"enabled": true, "allowed_origins": ["https://a.example"]}',
        SERVE_PUBLIC_CORS_DEBUG: 'true',
        OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: 'pepper-pepper',
        URLS_SELF_ISSUER: 'https://auth.example.com/',
        URLS_IDENTITY_PROVIDER_HEADERS: '{"X-Key": "v"}',
        OAUTH2_TOKEN_HOOK: '{"url": "https://hook.example/token"}',
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'json'
      }
    })
    assert.equal(config.serve.admin.port, 5000)
    assert.equal(config.oauth2.expose_internal_errors, true)
    assert.equal(config.oauth2.pkce.enforced, true)
    assert.equal(config.ttl.access_token, '2h')
    assert.deepEqual(config.secrets.system, ['new-secret-0123456789', 'old-secret-0123456789'])
    assert.deepEqual(config.secrets.cookie, ['cookie-secret-0123456789'])
    assert.equal(config.serve.public.cors.enabled, true)
    assert.equal(config.serve.public.cors.debug, true)
    assert.deepEqual(config.serve.public.cors.allowed_origins, ['https://a.example'])
    assert.equal(config.oidc.subject_identifiers.pairwise.salt, 'pepper-pepper')
    assert.equal(config.urls.self.issuer, 'https://auth.example.com/')
    assert.deepEqual(config.urls.identity_provider.headers, { 'X-Key': 'v' })
    assert.deepEqual(config.oauth2.token_hook, { url: 'https://hook.example/token' })
    assert.equal(config.log.level, 'debug')
    assert.equal(config.log.format, 'json')
  })

  test('list entries by index, after the whole list', () => {
    const { config } = load({ env: { SECRETS_SYSTEM_1: 'second-0123456789', SECRETS_SYSTEM: 'first-0123456789,x-0123456789abcdef', SECRETS_SYSTEM_2: 'third-0123456789' } })
    assert.deepEqual(config.secrets.system, ['first-0123456789', 'second-0123456789', 'third-0123456789'])
  })

  test('PUBLIC_HOST / ADMIN_HOST / *_PORT aliases; the SERVE_* form wins', () => {
    const aliased = load({ env: { PUBLIC_HOST: '127.0.0.1', ADMIN_HOST: 'unix:/run/warden.sock', PUBLIC_PORT: '8080' } }).config
    assert.equal(aliased.serve.public.host, '127.0.0.1')
    assert.equal(aliased.serve.admin.host, 'unix:/run/warden.sock')
    assert.equal(aliased.serve.public.port, 8080)
    const both = load({ env: { PUBLIC_HOST: '127.0.0.1', SERVE_PUBLIC_HOST: '10.0.0.1', ADMIN_PORT: '1', SERVE_ADMIN_PORT: '2' } }).config
    assert.equal(both.serve.public.host, '10.0.0.1')
    assert.equal(both.serve.admin.port, 2)
  })

  test('ignores unrelated and empty variables and whole top-level sections', () => {
    const { config } = load({ env: { PATH: '/usr/bin', HOME: '/root', LOG: 'x', SERVE: '{}', DSN: '', SERVE_PUBLIC_PORTS: '1' } })
    assert.equal(config.dsn, undefined)
    assert.equal(config.log.level, 'info')
  })
})

describe('loadConfig: problems', () => {
  test('a bad value from the environment', () => {
    assert.deepEqual(problemsOf({ env: { SERVE_PUBLIC_PORT: 'abc' } }),
      ['serve.public.port: expected an integer between 1 and 65535, got "abc" (from env SERVE_PUBLIC_PORT)'])
    assert.deepEqual(problemsOf({ env: { LOG_LEVEL: 'loud' } }),
      ['log.level: expected one of "panic", "fatal", "error", "warn", "info", "debug", "trace", got "loud" (from env LOG_LEVEL)'])
    assert.deepEqual(problemsOf({ env: { OAUTH2_PKCE_ENFORCED: 'yes' } }),
      ['oauth2.pkce.enforced: expected true or false, got "yes" (from env OAUTH2_PKCE_ENFORCED)'])
    assert.deepEqual(problemsOf({ env: { SERVE_PUBLIC_CORS: '{enabled' } }),
      ['serve.public.cors: expected a JSON object, got text that is not valid JSON (from env SERVE_PUBLIC_CORS)'])
    assert.deepEqual(problemsOf({ env: { PUBLIC_PORT: '0' } }),
      ['serve.public.port: expected an integer between 1 and 65535, got 0 (from env PUBLIC_PORT)'])
  })

  test('a bad value and an unknown key in a file, with everything else, all at once', () => {
    const path = file('bad.yaml', 'serve:\n  publik: {port: 1}\n  public:\n    port: "4444"\nttl:\n  access_token: 1 hour\n')
    assert.deepEqual(problemsOf({ files: [path], env: { SERVE_ADMIN_PORT: '99999' } }), [
      `serve.publik: unknown key (from file ${path})`,
      `serve.public.port: expected an integer between 1 and 65535, got "4444" (from file ${path})`,
      'serve.admin.port: expected an integer between 1 and 65535, got 99999 (from env SERVE_ADMIN_PORT)',
      `ttl.access_token: expected a duration such as "30s", "15m" or "1h30m", got "1 hour" (from file ${path})`
    ])
  })

  test('unreadable and unparsable files name the file', () => {
    const missing = join(folder, 'missing.yaml')
    const badYaml = file('broken.yaml', 'serve: [1,\n  b: :')
    const badJson = file('broken.json', '{"serve": ')
    const list = file('list.yaml', '- a\n- b\n')
    const duplicate = file('dup.yaml', 'dsn: a\ndsn: b\n')
    const problems = problemsOf({ files: [missing, badYaml, badJson, list, duplicate, 'x.toml'] })
    assert.equal(problems.length, 6)
    assert.equal(problems[0], `config file ${missing}: cannot be read (no such file)`)
    assert.match(problems[1] ?? '', new RegExp(`^config file ${badYaml}: cannot be parsed: .*line 2`))
    assert.match(problems[2] ?? '', new RegExp(`^config file ${badJson}: cannot be parsed: `))
    assert.equal(problems[3], `config file ${list}: expected a mapping of config keys at the top level, got a list`)
    assert.match(problems[4] ?? '', /Map keys must be unique/)
    assert.equal(problems[5], 'config file x.toml: TOML is not supported; use YAML or JSON')
  })

  test('bad socket modes', () => {
    assert.deepEqual(problemsOf({ files: [file('mode770.yaml', 'serve:\n  admin:\n    socket:\n      mode: 770\n')] }),
      [`serve.admin.socket.mode: 770 is a decimal number, too large for a mode; write "0770" for the octal mode (from file ${join(folder, 'mode770.yaml')})`])
    assert.deepEqual(problemsOf({ env: { SERVE_PUBLIC_SOCKET_MODE: '0789' } }),
      ['serve.public.socket.mode: expected a permission mode: an octal string such as "0770", or an integer from 0 to 511, got "0789" (from env SERVE_PUBLIC_SOCKET_MODE)'])
  })

  test('secret values are never echoed', () => {
    const problems = problemsOf({ env: { SECRETS_SYSTEM: 'short-secret', DSN: '42', URLS_SELF_ISSUER: 'not a url' } })
    assert.deepEqual(problems, [
      'urls.self.issuer: expected an absolute http(s) URL, got "not a url" (from env URLS_SELF_ISSUER)',
      'secrets.system[0]: expected a string of at least 16 characters, got a hidden value of 12 characters (from env SECRETS_SYSTEM)'
    ])
    assert.doesNotMatch(problems.join('\n'), /short-secret/)
  })

  test('an index past the end of a list', () => {
    assert.deepEqual(problemsOf({ env: { SECRETS_SYSTEM_2: 'a-secret-0123456789' } }),
      ['secrets.system[2]: index 2 would leave a gap: the list has 0 entries (from env SECRETS_SYSTEM_2)'])
  })
})
