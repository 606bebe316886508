// `warden doctor` against a real database and a running Warden: secrets, keys, and which address requests arrive from.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Config } from '../../src/config/schema.js'
import type { DeepPartial } from '../support/start-servers.js'
import { testDialects } from '../support/databases.js'
import { runWarden } from '../support/processes.js'
import { rawRequest } from '../support/raw-request.js'
import { freePort, startTestWarden, TEST_SYSTEM_SECRET, type TestWarden } from '../support/warden.js'

const ISSUER = 'https://auth.example.com/'
const LOGIN = { URLS_LOGIN: 'https://login.example.com/login', URLS_CONSENT: 'https://login.example.com/consent' }

/** A TLS-terminating gateway stand-in: forwards to `upstreamPort` from `fromAddress`, adding X-Forwarded-Proto: https. */
async function startGateway (upstreamPort: number, fromAddress: string): Promise<{ url: string, close(): Promise<void> }> {
  const server: Server = createServer((incoming, outgoing) => {
    const headers = { ...incoming.headers, 'x-forwarded-proto': 'https', 'x-forwarded-for': incoming.socket.remoteAddress ?? '' }
    const upstream = request({ host: '127.0.0.1', port: upstreamPort, path: incoming.url, method: incoming.method, headers, localAddress: fromAddress, agent: false }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    })
    upstream.on('error', () => { outgoing.writeHead(502); outgoing.end() })
    incoming.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => { await new Promise((resolve) => server.close(resolve)) }
  }
}

/** The environment that makes doctor read the configuration `warden` runs with. */
function doctorEnv (warden: TestWarden, extra: Record<string, string>): Record<string, string> {
  return {
    DSN: warden.dsn,
    SERVE_PUBLIC_HOST: '127.0.0.1',
    SERVE_PUBLIC_PORT: String(warden.config.serve.public.port),
    SERVE_ADMIN_HOST: '127.0.0.1',
    SERVE_ADMIN_PORT: String(warden.config.serve.admin.port),
    URLS_SELF_ISSUER: ISSUER,
    SECRETS_SYSTEM: TEST_SYSTEM_SECRET,
    ...LOGIN,
    ...extra
  }
}

async function startGuardedWarden (dir: string, tls: DeepPartial<Config['serve']>): Promise<TestWarden> {
  return await startTestWarden({
    dsn: `sqlite://${join(dir, 'warden.sqlite')}?_fk=true`,
    forceHttp: false,
    config: { serve: tls, urls: { self: { issuer: ISSUER } } }
  })
}

describe('warden doctor', () => {
  const dialects = testDialects()
  let dir: string
  before(() => { dir = mkdtempSync(join(tmpdir(), 'warden-doctor-')) })
  after(async () => {
    rmSync(dir, { recursive: true, force: true })
    await Promise.all(dialects.map(async (entry) => { await entry.dropFreshDatabases() }))
  })

  for (const entry of dialects) {
    test(`${entry.dialect}: database, migrations and keys; a wrong secrets.system is an error naming the key; no server is an info, not a failure`, async () => {
      const dsn = await entry.createFreshDsn()
      await (await startTestWarden({ dialect: entry, dsn })).close()
      const [publicPort, adminPort] = [await freePort(), await freePort()]
      const env = { DSN: dsn, URLS_SELF_ISSUER: ISSUER, SERVE_TLS_ALLOW_TERMINATION_FROM: '127.0.0.1/32', SERVE_PUBLIC_PORT: String(publicPort), SERVE_ADMIN_PORT: String(adminPort), ...LOGIN }
      const good = await runWarden(['doctor'], { env: { ...env, SECRETS_SYSTEM: TEST_SYSTEM_SECRET } })
      assert.equal(good.code, 0, good.stdout + good.stderr)
      assert.match(good.stdout, new RegExp(`✔ database reachable \\(${entry.dialect}\\)\n✔ migrations: all applied\n✔ \\d+ stored JSON Web Key\\(s\\) open with secrets\\.system`), good.stderr)
      assert.match(good.stdout, /token +https:\/\/auth\.example\.com\/oauth2\/token/, good.stderr)
      assert.match(good.stdout, new RegExp(`ℹ no Warden answers at http://127\\.0\\.0\\.1:${publicPort}/health/alive or http://127\\.0\\.0\\.1:${adminPort}/admin/health/alive ` +
        '\\([^)]*ECONNREFUSED[^)]*\\): it is not running with this configuration, so the live checks were skipped\\n {4}→ change: start `warden serve all`'))
      assert.match(good.stdout, /cookie attributes +HttpOnly; Secure; SameSite=None; host-only \(auth\.example\.com\)/, good.stderr)
      assert.match(good.stdout, new RegExp(`gateway +forward to http://<this host>:${publicPort} from 127\\.0\\.0\\.1/32, with X-Forwarded-Proto: https`), good.stderr)
      const bad = await runWarden(['doctor', '--no-live'], { env: { ...env, SECRETS_SYSTEM: 'a-different-secret-of-32-chars!!' } })
      assert.equal(bad.code, 1)
      assert.match(bad.stdout, /✖ JSON Web Key .* cannot be decrypted[^\n]*\n {4}→ change: secrets\.system/, bad.stderr)
      assert.doesNotMatch(bad.stdout, /no Warden answers/)
      assert.match(bad.stderr, /^warden doctor found 1 problem\(s\)/)
    })
  }

  test('a gateway outside serve.tls.allow_termination_from is an error naming the key and the address to add', async () => {
    const warden = await startGuardedWarden(dir, { tls: { allow_termination_from: ['127.0.0.1/32'] } })
    const gateway = await startGateway(warden.config.serve.public.port, '127.0.0.2')
    try {
      // The guard really refuses what doctor predicts: the gateway's X-Forwarded-Proto is ignored.
      assert.equal((await rawRequest(`${gateway.url}.well-known/openid-configuration`)).status, 502)
      const run = await runWarden(['doctor', '--endpoint', gateway.url], { env: doctorEnv(warden, { SERVE_TLS_ALLOW_TERMINATION_FROM: '127.0.0.1/32' }) })
      assert.equal(run.code, 1, run.stdout + run.stderr)
      assert.match(run.stdout, /✔ requests from 127\.0\.0\.1 \(this host\) reach the public listener \(127\.0\.0\.1:\d+\) directly and 127\.0\.0\.1 is in serve\.tls\.allow_termination_from/, run.stderr)
      assert.match(run.stdout, new RegExp(`✖ requests to ${gateway.url} arrive from 127\\.0\\.0\\.2, which is not in serve\\.tls\\.allow_termination_from \\(127\\.0\\.0\\.1/32\\): ` +
        'its X-Forwarded-Proto: https is ignored[^\\n]*\\n {4}→ change: serve\\.tls\\.allow_termination_from: add 127\\.0\\.0\\.2/32'))
      assert.match(run.stderr, /^warden doctor found 1 problem\(s\)/)

      const otherSecret = await runWarden(['doctor', '--endpoint', gateway.url], { env: doctorEnv(warden, { SERVE_TLS_ALLOW_TERMINATION_FROM: '127.0.0.1/32', SECRETS_SYSTEM: 'a-different-secret-of-32-chars!!' }) })
      assert.match(otherSecret.stdout, /! http:\/\/127\.0\.0\.1:\d+\/health\/alive answered but did not say which address the request came from: the running server has another secrets\.system/, otherSecret.stderr)
    } finally {
      await gateway.close()
      await warden.close()
    }
  })

  test('a gateway inside serve.public.tls.allow_termination_from is honoured; this host, outside it, is told which key adds it', async () => {
    const warden = await startGuardedWarden(dir, { public: { tls: { allow_termination_from: ['127.0.0.2/32'] } } as DeepPartial<Config['serve']['public']> })
    const gateway = await startGateway(warden.config.serve.public.port, '127.0.0.2')
    try {
      assert.equal((await rawRequest(`${gateway.url}.well-known/openid-configuration`)).status, 200)
      const run = await runWarden(['doctor', '--endpoint', gateway.url], { env: doctorEnv(warden, { SERVE_PUBLIC_TLS_ALLOW_TERMINATION_FROM: '127.0.0.2/32' }) })
      assert.equal(run.code, 0, run.stdout + run.stderr)
      assert.match(run.stdout, /ℹ requests from 127\.0\.0\.1 \(this host\) reach the public listener \(127\.0\.0\.1:\d+\) directly; 127\.0\.0\.1 is not in serve\.public\.tls\.allow_termination_from \(127\.0\.0\.2\/32\)[^\n]*\n {4}→ change: serve\.public\.tls\.allow_termination_from: add 127\.0\.0\.1\/32/, run.stderr)
      assert.match(run.stdout, new RegExp(`✔ requests to ${gateway.url} arrive from 127\\.0\\.0\\.2, which is in serve\\.public\\.tls\\.allow_termination_from; its X-Forwarded-Proto: https is honoured`), run.stderr)
      assert.match(run.stdout, /✔ the admin listener \(127\.0\.0\.1:\d+\) answers over HTTPS; this host's requests arrive from 127\.0\.0\.1/, run.stderr)
    } finally {
      await gateway.close()
      await warden.close()
    }
  })
})
