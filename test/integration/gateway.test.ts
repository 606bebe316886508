// Warden behind real nginx (seed, "Routing"): nginx terminates TLS, strips /hydra/, keeps Host and sets X-Forwarded-*;
// Warden trusts 127.0.0.1 as terminating proxy and builds every URL from its https issuer under /hydra/.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createSelfSignedCertificate } from '../../src/lib/x509.js'
import { rawRequest, type RawResponse } from '../support/raw-request.js'
import { freePort, startTestWarden, type TestWarden } from '../support/warden.js'

// WARDEN_TEST_NGINX names another binary (or a missing one, to check the skip).
const NGINX_CANDIDATES = process.env.WARDEN_TEST_NGINX === undefined ? ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'] : [process.env.WARDEN_TEST_NGINX]
const IS_CI = process.env.CI === 'true'

function findNginx (): string | undefined {
  return NGINX_CANDIDATES.find((path) => {
    try { accessSync(path, constants.X_OK); return true } catch { return false }
  })
}

const nginxBinary = findNginx()
// In CI (.ci/run installs nginx) a missing binary is a failure, never a silent skip.
const skip = nginxBinary === undefined && !IS_CI ? 'nginx is not installed (Debian package `nginx`); the gateway test needs it' : false

interface Nginx { port: number, cert: string, process: ChildProcess, log(): string, stop(): Promise<void> }

function nginxConfig (dir: string, port: number, publicPort: number, adminPort: number): string {
  const proxy = (path: string, upstreamPort: number): string => `
    location ${path} {
      proxy_pass http://127.0.0.1:${upstreamPort}/;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_redirect off;
    }`
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    ${proxy('/hydra/', publicPort)}
    ${proxy('/hydra-admin/', adminPort)}
  }
}
`
}

/** Starts nginx in the foreground on `port`; resolves once it answers HTTPS. */
async function startNginx (binary: string, port: number, publicPort: number, adminPort: number): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-nginx-'))
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const cert = createSelfSignedCertificate({
    privateKey,
    publicKey,
    commonName: '127.0.0.1',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000)
  })
  writeFileSync(join(dir, 'cert.pem'), cert)
  writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }))
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port, publicPort, adminPort))
  // -e: the error log used before the config is read (the default path may not be writable).
  const child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const log = (): string => {
    let errorLog = ''
    try { errorLog = readFileSync(join(dir, 'error.log'), 'utf8') } catch { /* not written yet */ }
    return `${output}${errorLog}`
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
  // nginx logs nothing on stdout when ready, so its port is polled (bounded).
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) {
      const text = log()
      await stop()
      throw new Error(`nginx exited at start:\n${text}`)
    }
    try {
      await rawRequest(`https://127.0.0.1:${port}/`, { ca: cert })
      break
    } catch (error) {
      if (Date.now() > deadline) {
        const text = log()
        await stop()
        throw new Error(`nginx did not answer on port ${port}: ${(error as Error).message}\n${text}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  return { port, cert, process: child, log, stop }
}

/** Every string in a JSON document that looks like an absolute URL. */
function urlsIn (value: unknown): string[] {
  if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? [value] : []
  if (Array.isArray(value)) return value.flatMap(urlsIn)
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(urlsIn)
  return []
}

describe('Warden behind a real nginx that terminates TLS and strips /hydra/', { skip }, () => {
  let nginx: Nginx
  let warden: TestWarden
  let issuer: string
  const viaNginx = async (path: string): Promise<RawResponse> => await rawRequest(`https://127.0.0.1:${nginx.port}${path}`, { ca: nginx.cert })

  before(async () => {
    if (nginxBinary === undefined) throw new Error(`nginx is required in CI (CI=true) but no nginx binary was found (${NGINX_CANDIDATES.join(', ')}); .ci/run installs it`)
    const nginxPort = await freePort()
    issuer = `https://127.0.0.1:${nginxPort}/hydra/`
    warden = await startTestWarden({
      forceHttp: false,
      config: {
        serve: { tls: { allow_termination_from: ['127.0.0.1/32'] } },
        urls: { self: { issuer, admin: `https://127.0.0.1:${nginxPort}/hydra-admin/` } }
      }
    })
    assert.equal(warden.running.servers.public?.mode, 'termination')
    assert.equal(warden.running.servers.admin?.mode, 'termination')
    nginx = await startNginx(nginxBinary, nginxPort, Number(new URL(warden.publicUrl).port), Number(new URL(warden.adminUrl).port))
  })

  after(async () => {
    await nginx?.stop()
    await warden?.close()
  })

  test('health answers through nginx on both listeners', async () => {
    const ready = await viaNginx('/hydra/health/ready')
    assert.equal(ready.status, 200, `${ready.body}\n${nginx.log()}`)
    assert.deepEqual(JSON.parse(ready.body), { status: 'ok' })
    const adminReady = await viaNginx('/hydra-admin/admin/health/ready')
    assert.equal(adminReady.status, 200)
    const version = await viaNginx('/hydra-admin/version')
    assert.equal(version.status, 200, 'a non-exempt admin route is served because nginx is trusted and sets X-Forwarded-Proto')
  })

  test('discovery through nginx: the issuer verbatim and every advertised URL under it', async () => {
    const answer = await viaNginx('/hydra/.well-known/openid-configuration')
    assert.equal(answer.status, 200, answer.body)
    const discovery = JSON.parse(answer.body) as Record<string, unknown>
    assert.equal(discovery.issuer, issuer)
    const urls = urlsIn(discovery)
    for (const name of ['jwks_uri', 'authorization_endpoint', 'token_endpoint']) assert.equal(typeof discovery[name], 'string', name)
    for (const url of urls) assert.ok(url.startsWith(issuer), `${url} does not start with ${issuer}`)
    assert.ok(urls.length >= 5, `only ${urls.length} URLs advertised`)

    // The advertised JWKS URL really works through the gateway.
    const jwksPath = new URL(discovery.jwks_uri as string).pathname
    const jwks = await viaNginx(jwksPath)
    assert.equal(jwks.status, 200)
    assert.equal((JSON.parse(jwks.body) as { keys: unknown[] }).keys.length, 2)
  })

  test('redirects name the issuer\'s URLs, never the Host nginx passes on', async () => {
    // An unknown client cannot be redirected back to, so Warden sends the browser to its error page.
    const answer = await viaNginx('/hydra/oauth2/auth?client_id=no-such-client&response_type=code&state=abcdefghijkl')
    assert.ok([302, 303].includes(answer.status), `${answer.status} ${answer.body}`)
    const location = String(answer.headers.location)
    assert.ok(location.startsWith(issuer), `${location} does not start with ${issuer}`)
    const page = await viaNginx(new URL(location).pathname + new URL(location).search)
    // Hydra's fallback error page answers with the error's own status; what matters is that it is served (not 502).
    assert.notEqual(page.status, 502, page.body)
    assert.match(String(page.headers['content-type']), /^text\/html/)
    assert.match(page.body, /invalid_client/)
  })

  test('directly to Warden without X-Forwarded-Proto: discovery is 502 in the error format, health still 200', async () => {
    const direct = await rawRequest(`${warden.publicUrl}.well-known/openid-configuration`)
    assert.equal(direct.status, 502)
    const body = JSON.parse(direct.body) as Record<string, unknown>
    assert.equal(body.error, 'can not serve request over insecure http')
    assert.equal(typeof body.error_description, 'string')
    assert.equal((await rawRequest(`${warden.publicUrl}health/ready`)).status, 200)
    assert.equal((await rawRequest(`${warden.adminUrl}admin/health/ready`)).status, 200)
    assert.equal((await rawRequest(`${warden.adminUrl}admin/version`)).status, 502)
  })
})
