// `node bin/warden.js serve ...` as a process: config errors, ports in use, precedence, UNIX sockets, SIGTERM, log redaction.
// Processes that start get a copied database whose first start is done (seededSqliteDsn): none of these tests is about
// key generation, which costs seconds of CPU per start.
import type { Command } from 'commander'
import { buildProgram } from '../../src/cli/program.js'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { connect, createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { freePort, seededSqliteDsn } from '../support/warden.js'
import { httpGet, runWarden, spawnWarden, type WardenProcess } from '../support/processes.js'

const SECRET = 'serve-cli-test-system-secret-32c'
const STOP_TIMEOUT_MS = 120_000

let workdir: string
before(() => { workdir = mkdtempSync(join(tmpdir(), 'warden-serve-cli-')) })
after(() => { rmSync(workdir, { recursive: true, force: true }) })

/** A fresh folder under the test's temp dir. */
function folder (name: string): string {
  const path = join(workdir, name)
  rmSync(path, { recursive: true, force: true })
  return mkdtempSync(`${path}-`)
}

/** A valid production-style environment on the given ports; tests override one thing to break it. */
function validEnv (dir: string, publicPort: number, adminPort: number): Record<string, string> {
  return {
    DSN: `sqlite://${join(dir, 'db.sqlite')}?_fk=true`,
    SECRETS_SYSTEM: SECRET,
    URLS_SELF_ISSUER: `https://127.0.0.1:${publicPort}/`,
    SERVE_PUBLIC_HOST: '127.0.0.1',
    SERVE_PUBLIC_PORT: String(publicPort),
    SERVE_ADMIN_HOST: '127.0.0.1',
    SERVE_ADMIN_PORT: String(adminPort)
  }
}

function listeningOn (port: number): RegExp {
  return new RegExp(`listening on http://127\\.0\\.0\\.1:${port}\\b`)
}

/** The "- key: ... (from source)" lines of a ConfigError report. */
function problemLines (stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('  - '))
}

async function isPortFree (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

async function occupy (port: number): Promise<Server> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}

describe('warden serve: every bad configuration aborts with one line per problem and starts nothing', { concurrency: 4 }, () => {
  // An env value of null removes the variable from the valid environment.
  interface Case { name: string, args?: string[], env?: Record<string, string | null>, files?: Record<string, string>, expected: RegExp }
  const cases: Case[] = [
    { name: 'a port that is not a number (env)', env: { SERVE_PUBLIC_PORT: 'forty' }, expected: /^ {2}- serve\.public\.port: expected an integer between 1 and 65535, got "forty" \(from env SERVE_PUBLIC_PORT\)$/ },
    { name: 'an unknown key in a YAML file', files: { 'bad.yaml': 'serve:\n  publik:\n    port: 4444\n' }, args: ['-c', 'bad.yaml'], expected: /^ {2}- serve\.publik: unknown key \(from file .*bad\.yaml\)$/ },
    { name: 'a missing config file', args: ['-c', 'missing.yaml'], expected: /^ {2}- config file .*missing\.yaml: cannot be read \(no such file\)$/ },
    { name: 'a DSN with a bad port', env: { DSN: 'postgres://warden:hunter2-password@127.0.0.1:notaport/warden' }, expected: /^ {2}- dsn: invalid DSN .*port "notaport".*\(from env DSN\)$/ },
    { name: 'a system secret shorter than 16 characters', env: { SECRETS_SYSTEM: 'too-short-secret'.slice(0, 12) }, expected: /^ {2}- secrets\.system\[0\]: .*at least 16 characters.*\(from env SECRETS_SYSTEM\)$/ },
    { name: 'an http issuer without --dev', env: { URLS_SELF_ISSUER: 'http://auth.example.com/' }, expected: /^ {2}- urls\.self\.issuer: must use https .*"http:\/\/auth\.example\.com\/" \(from env URLS_SELF_ISSUER\)$/ },
    {
      name: 'a TLS certificate path that does not exist',
      files: { 'tls.yaml': 'serve:\n  tls:\n    cert:\n      path: /nonexistent/warden/cert.pem\n    key:\n      path: /nonexistent/warden/key.pem\n' },
      args: ['-c', 'tls.yaml'],
      expected: /^ {2}- serve\.tls\.cert\.path: cannot read \/nonexistent\/warden\/cert\.pem: no such file \(from file .*tls\.yaml\)$/
    },
    { name: 'a UNIX socket in a directory that does not exist (PUBLIC_HOST alias)', env: { SERVE_PUBLIC_HOST: null, PUBLIC_HOST: 'unix:/nonexistent/warden/public.sock' }, expected: /^ {2}- serve\.public\.host: the directory \/nonexistent\/warden of the UNIX socket does not exist \(from env PUBLIC_HOST\)$/ },
    { name: 'env beats the --dev flag (DEV=false), so an http issuer is refused', args: ['--dev'], env: { DEV: 'false', URLS_SELF_ISSUER: 'http://127.0.0.1/' }, expected: /^ {2}- urls\.self\.issuer: must use https/ }
  ]

  for (const entry of cases) {
    test(entry.name, { timeout: STOP_TIMEOUT_MS }, async () => {
      const dir = folder('config-error')
      for (const [name, text] of Object.entries(entry.files ?? {})) writeFileSync(join(dir, name), text)
      const [publicPort, adminPort] = [await freePort(), await freePort()]
      // The admin listener is a UNIX socket, so "nothing half-started" includes "no socket file left".
      const merged = { ...validEnv(dir, publicPort, adminPort), SERVE_ADMIN_HOST: `unix:${join(dir, 'admin.sock')}`, ...entry.env }
      const env = Object.fromEntries(Object.entries(merged).filter((pair): pair is [string, string] => pair[1] !== null))
      const result = await runWarden(['serve', 'all', ...(entry.args ?? [])], { env, cwd: dir })
      assert.notEqual(result.code, 0, result.stderr)
      assert.match(result.stderr, /The configuration is invalid:\n/)
      const lines = problemLines(result.stderr)
      assert.equal(lines.length, 1 + (entry.name.startsWith('a TLS') ? 1 : 0), `one line per problem:\n${result.stderr}`)
      assert.match(lines[0] ?? '', entry.expected)
      assert.doesNotMatch(result.stderr, /hunter2-password|too-short-s|\n\s+at /, 'no password, secret or stack trace')
      // Nothing was created: no database file, no socket.
      assert.deepEqual(readdirSync(dir).filter((name) => !Object.hasOwn(entry.files ?? {}, name)), [])
      assert.ok(await isPortFree(publicPort))
    })
  }
})

describe('warden serve: a port in use', { concurrency: true }, () => {
  test('public port taken: the message names serve.public.port, exit != 0, nothing listening', { timeout: STOP_TIMEOUT_MS }, async () => {
    const dir = folder('public-in-use')
    const [publicPort, adminPort] = [await freePort(), await freePort()]
    const blocker = await occupy(publicPort)
    try {
      const env = { ...validEnv(dir, publicPort, adminPort), DSN: await seededSqliteDsn(join(dir, 'db.sqlite'), SECRET) }
      const result = await runWarden(['serve', 'all', '--dev', '--no-ui'], { env, cwd: dir })
      assert.notEqual(result.code, 0)
      assert.match(result.stderr, new RegExp(`Warden could not start: serve\\.public\\.port: port ${publicPort} on 127\\.0\\.0\\.1 is already in use\\n`))
      assert.ok(await isPortFree(adminPort), 'the admin port was never bound or was released')
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })

  test('admin port taken after the public socket started: the socket is removed again', { timeout: STOP_TIMEOUT_MS }, async () => {
    const dir = folder('admin-in-use')
    const [publicPort, adminPort] = [await freePort(), await freePort()]
    const blocker = await occupy(adminPort)
    try {
      const socket = join(dir, 'public.sock')
      const env = { ...validEnv(dir, publicPort, adminPort), DSN: await seededSqliteDsn(join(dir, 'db.sqlite'), SECRET), SERVE_PUBLIC_HOST: `unix:${socket}` }
      const result = await runWarden(['serve', 'all', '--dev', '--no-ui'], { env, cwd: dir })
      assert.notEqual(result.code, 0)
      assert.match(result.stderr, new RegExp(`serve\\.admin\\.port: port ${adminPort} on 127\\.0\\.0\\.1 is already in use`))
      assert.equal(existsSync(socket), false, 'no socket file left behind')
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })
})

describe('warden serve: configuration sources end to end', () => {
  test('file < flag < env: the file\'s ports and dev:false lose to --dev and SERVE_PUBLIC_PORT', { timeout: STOP_TIMEOUT_MS }, async () => {
    const dir = folder('precedence')
    const [filePublicPort, envPublicPort, fileAdminPort] = [await freePort(), await freePort(), await freePort()]
    writeFileSync(join(dir, 'warden.yaml'), [
      'dev: false',
      `dsn: "${await seededSqliteDsn(join(dir, 'db.sqlite'), SECRET)}"`,
      `urls: { self: { issuer: "http://127.0.0.1:${envPublicPort}/" } }`,
      `serve: { public: { host: 127.0.0.1, port: ${filePublicPort} }, admin: { host: 127.0.0.1, port: ${fileAdminPort} } }`,
      ''
    ].join('\n'))
    const warden = spawnWarden(['serve', 'all', '--dev', '--no-ui', '-c', 'warden.yaml'], { env: { SECRETS_SYSTEM: SECRET, SERVE_PUBLIC_PORT: String(envPublicPort) }, cwd: dir })
    try {
      await warden.waitForLine(listeningOn(fileAdminPort))
      await warden.waitForLine(listeningOn(envPublicPort))
      assert.equal((await httpGet(`http://127.0.0.1:${envPublicPort}/health/alive`)).status, 200)
      assert.equal((await httpGet(`http://127.0.0.1:${fileAdminPort}/admin/health/alive`)).status, 200)
      assert.ok(await isPortFree(filePublicPort), 'the file\'s public port is not used')
    } finally {
      assert.equal((await warden.stop()).code, 0, warden.stderr)
    }
  })

  test('PUBLIC_HOST / ADMIN_HOST with unix: sockets get the configured mode, serve HTTP and are removed on SIGTERM', { timeout: STOP_TIMEOUT_MS }, async () => {
    const dir = folder('sockets')
    const publicSocket = join(dir, 'public.sock')
    const adminSocket = join(dir, 'admin.sock')
    // A stale socket file from a process that died without cleaning up is replaced.
    try {
      execFileSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(adminSocket)}, () => process.kill(process.pid, 'SIGKILL'))`], { stdio: 'ignore' })
    } catch { /* killed, as intended */ }
    assert.ok(statSync(adminSocket).isSocket(), 'a stale socket file is in the way')
    writeFileSync(join(dir, 'warden.yaml'), 'serve:\n  admin:\n    socket:\n      mode: "0700"\n')
    const warden = spawnWarden(['serve', 'all', '--dev', '--no-ui', '-c', 'warden.yaml'], {
      env: {
        DSN: await seededSqliteDsn(join(dir, 'db.sqlite'), SECRET),
        SECRETS_SYSTEM: SECRET,
        URLS_SELF_ISSUER: 'http://127.0.0.1/',
        PUBLIC_HOST: `unix:${publicSocket}`,
        ADMIN_HOST: `unix:${adminSocket}`,
        SERVE_PUBLIC_SOCKET_MODE: '0770'
      },
      cwd: dir
    })
    try {
      await warden.waitForLine(new RegExp(`listening on unix:${adminSocket}`))
      await warden.waitForLine(new RegExp(`listening on unix:${publicSocket}`))
      assert.ok(statSync(publicSocket).isSocket())
      assert.equal(statSync(publicSocket).mode & 0o777, 0o770)
      assert.equal(statSync(adminSocket).mode & 0o777, 0o700)
      const ready = await httpGet('http://localhost/health/ready', { socketPath: publicSocket })
      assert.equal(ready.status, 200, ready.body)
      const version = await httpGet('http://localhost/version', { socketPath: adminSocket })
      assert.equal(version.status, 200)
      assert.match(JSON.parse(version.body).version as string, /^v\d+\.\d+\.\d+/)
      assert.equal((await httpGet('http://localhost/admin/version', { socketPath: publicSocket })).status, 404)
    } finally {
      assert.equal((await warden.stop()).code, 0, warden.stderr)
    }
    assert.equal(existsSync(publicSocket), false)
    assert.equal(existsSync(adminSocket), false)
  })
})

/**
 * A POST whose head is sent with `Expect: 100-continue`: once the server answers "100 Continue" it has parsed the
 * request, which stays in flight until `finish()` sends the body.
 */
function requestAwaitingBody (port: number, path: string, body: string): { started: Promise<void>, finish(): void, response: Promise<string> } {
  const socket = connect(port, '127.0.0.1')
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`)
  let text = ''
  let markStarted: () => void = () => {}
  const started = new Promise<void>((resolve) => { markStarted = resolve })
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8')
    if (text.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) markStarted()
  })
  const response = new Promise<string>((resolve, reject) => {
    socket.once('error', reject)
    socket.once('close', () => resolve(text.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '')))
  })
  return { started, finish: () => { socket.write(body) }, response }
}

describe('warden serve: graceful shutdown', () => {
  test('SIGTERM with a request in flight: it completes, the process exits 0, the port and the database are released', { timeout: STOP_TIMEOUT_MS }, async () => {
    const dir = folder('shutdown')
    const [publicPort, adminPort] = [await freePort(), await freePort()]
    const env = { ...validEnv(dir, publicPort, adminPort), DSN: await seededSqliteDsn(join(dir, 'db.sqlite'), SECRET), URLS_SELF_ISSUER: `http://127.0.0.1:${publicPort}/` }
    const warden: WardenProcess = spawnWarden(['serve', 'all', '--dev', '--no-ui'], { env, cwd: dir })
    try {
      await warden.waitForLine(listeningOn(adminPort))
      const inFlight = requestAwaitingBody(adminPort, '/admin/clients', JSON.stringify({ client_name: 'created while shutting down', grant_types: ['client_credentials'] }))
      await inFlight.started
      warden.child.kill('SIGTERM')
      await warden.waitForLine(/shutting down gracefully/)
      inFlight.finish()
      const answer = await inFlight.response
      assert.match(answer, /^HTTP\/1\.1 201 /)
      assert.match(answer, /"client_name":"created while shutting down"/)
      assert.match(answer, /\r\nconnection: close\r\n/i)
      const exit = await warden.exited
      assert.equal(exit.code, 0, warden.stderr)
      assert.match(warden.stderr, /shutdown complete/)
    } finally {
      await warden.stop()
    }
    assert.ok(await isPortFree(publicPort))
    assert.ok(await isPortFree(adminPort))
    // SQLite removes the write-ahead log when the last connection closes cleanly.
    assert.equal(existsSync(join(dir, 'db.sqlite-wal')), false, 'the database was closed')
  })
})

describe('warden serve: log redaction end to end', { concurrency: true }, () => {
  const CHALLENGE = 'challenge-value-f00d'
  const BEARER = 'bearer-value-beef'
  const COOKIE = 'cookie-value-cafe'

  async function logOfOneRequest (leak: boolean): Promise<string> {
    const dir = folder(`redaction-${String(leak)}`)
    const [publicPort, adminPort] = [await freePort(), await freePort()]
    const env = {
      ...validEnv(dir, publicPort, adminPort),
      DSN: await seededSqliteDsn(join(dir, 'db.sqlite'), SECRET),
      URLS_SELF_ISSUER: `http://127.0.0.1:${publicPort}/`,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      LOG_LEAK_SENSITIVE_VALUES: String(leak)
    }
    const warden = spawnWarden(['serve', 'all', '--dev', '--no-ui'], { env, cwd: dir })
    try {
      await warden.waitForLine(listeningOn(publicPort))
      const answer = await httpGet(`http://127.0.0.1:${publicPort}/.well-known/openid-configuration?login_challenge=${CHALLENGE}`, {
        headers: { authorization: `Bearer ${BEARER}`, cookie: `oauth2_authentication_session=${COOKIE}` }
      })
      assert.equal(answer.status, 200)
      await warden.waitForLine(/"path":"\/\.well-known\/openid-configuration\?login_challenge=/)
    } finally {
      assert.equal((await warden.stop()).code, 0, warden.stderr)
    }
    for (const line of warden.stderr.trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line), `JSON log line: ${line}`)
    return warden.stderr
  }

  test('by default no Authorization, Cookie or challenge value reaches the log', { timeout: STOP_TIMEOUT_MS }, async () => {
    const log = await logOfOneRequest(false)
    for (const value of [CHALLENGE, BEARER, COOKIE]) assert.equal(log.includes(value), false, `${value} leaked:\n${log}`)
    assert.match(log, /"authorization":"Value is sensitive and has been redacted\./)
    assert.match(log, /"path":"\/\.well-known\/openid-configuration\?login_challenge=Value%20is%20sensitive/)
  })

  test('with LOG_LEAK_SENSITIVE_VALUES=true they do', { timeout: STOP_TIMEOUT_MS }, async () => {
    const log = await logOfOneRequest(true)
    for (const value of [CHALLENGE, BEARER, COOKIE]) assert.ok(log.includes(value), `${value} missing:\n${log}`)
    assert.match(log, /log\.leak_sensitive_values is true/)
  })
})

/** Runs the CLI in this process and returns what commander printed for `--help`. */
async function helpOf (args: readonly string[]): Promise<string> {
  let printed = ''
  const program = buildProgram().exitOverride().configureOutput({ writeOut: (text) => { printed += text }, writeErr: (text) => { printed += text } })
  for (const command of program.commands) commandTree(command).forEach((sub) => sub.exitOverride().configureOutput({ writeOut: (text) => { printed += text } }))
  await assert.rejects(program.parseAsync(['node', 'warden', ...args]), (error: Error & { code?: string }) => error.code === 'commander.helpDisplayed')
  return printed
}

function commandTree (command: Command): Command[] {
  return [command, ...command.commands.flatMap(commandTree)]
}

describe('the warden binary exposes Hydra\'s verbs', () => {
  // The binary itself is spawned once; the other help pages are read in-process (each spawn costs a second or more).
  test('warden --help (the installed binary)', async () => {
    const result = await runWarden(['--help'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Commands:\n(.|\n)*serve(.|\n)*migrate(.|\n)*version(.|\n)*create(.|\n)*get(.|\n)*list(.|\n)*update(.|\n)*delete(.|\n)*import/)
  })

  const commands: Array<[args: string[], expected: RegExp]> = [
    [['serve', 'all', '--help'], /-c, --config <file>(.|\n)*--dev(.|\n)*--dangerous-force-http(.|\n)*--sqa-opt-out/],
    [['migrate', 'sql', '--help'], /up \[options\] \[dsn\](.|\n)*down \[options\] \[dsn\](.|\n)*status \[options\] \[dsn\]/],
    [['migrate', 'secrets', '--help'], /re-encrypt stored JSON Web Keys/],
    [['create', '--help'], /oauth2-client\|client(.|\n)*jwk\|jwks/],
    [['get', '--help'], /oauth2-client\|client(.|\n)*jwk\|jwks/],
    [['delete', '--help'], /oauth2-client\|client(.|\n)*jwk\|jwks/],
    [['import', '--help'], /oauth2-client\|client(.|\n)*jwk\|jwks/]
  ]
  for (const [args, expected] of commands) {
    test(`warden ${args.join(' ')}`, async () => {
      assert.match(await helpOf(args), expected)
    })
  }

  test('version prints the package version', async () => {
    const result = await runWarden(['version'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /v\d+\.\d+\.\d+/)
  })
})
