// Real listeners: UNIX sockets, bind failures, the admin prefix over the wire, and graceful shutdown.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { lstat, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { connect, createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RouteRegistrar } from '../../src/http/route-module.js'
import { startTestServers } from '../support/start-servers.js'
import { rawRequest } from '../support/raw-request.js'

const exists = async (path: string): Promise<boolean> => await lstat(path).then(() => true, () => false)

async function withTempDir (fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'warden-sock-'))
  try { await fn(dir) } finally { await rm(dir, { recursive: true, force: true }) }
}

/** A socket file nobody listens on: a child process binds it and is killed before it can clean up. */
async function makeStaleSocket (path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

function connectionRefused (port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => { socket.destroy(); resolve('connected') })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
  })
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const clientsRoutes: RouteRegistrar = (app) => {
  app.get('/admin/clients', async function listOAuth2Clients () { return [{ client_id: 'a' }] })
}

describe('UNIX sockets', () => {
  test('a socket is created with the configured mode, replaces a stale one, serves plain HTTP and is removed on close', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'admin.sock')
      await makeStaleSocket(path)
      assert.ok((await lstat(path)).isSocket())
      const servers = await startTestServers({
        forceHttp: false, // sockets are plain whatever the TLS settings
        config: { serve: { admin: { host: `unix:${path}`, socket: { mode: 0o660, owner: String(process.getuid?.() ?? 0), group: String(process.getgid?.() ?? 0) } }, tls: { allow_termination_from: ['10.0.0.0/8'] } } },
        adminRoutes: [clientsRoutes]
      })
      try {
        assert.equal(servers.adminUrl, `unix:${path}`)
        assert.equal(servers.servers.admin?.mode, 'plain')
        assert.equal((await stat(path)).mode & 0o777, 0o660)
        const res = await rawRequest('http://localhost/clients', { socketPath: path })
        assert.equal(res.status, 200) // no termination guard on sockets
        assert.deepEqual(JSON.parse(res.body), [{ client_id: 'a' }])
      } finally {
        await servers.close()
      }
      assert.equal(await exists(path), false)
    })
  })

  test('a regular file in the way is never deleted, and the listener already started is closed again', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'not-a-socket')
      await writeFile(path, 'precious')
      const port = await freePort()
      await assert.rejects(
        startTestServers({ config: { serve: { public: { port }, admin: { host: `unix:${path}` } } } }),
        /serve\.admin\.host: .* exists and is not a socket; refusing to delete it/
      )
      assert.equal(await exists(path), true)
      assert.equal(await connectionRefused(port), 'ECONNREFUSED')
    })
  })

  test('an unknown owner is an error naming the key, and leaves no socket behind', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'admin.sock')
      await assert.rejects(
        startTestServers({ which: 'admin', config: { serve: { admin: { host: `unix:${path}`, socket: { owner: 'no-such-user-warden-test' } } } } }),
        /serve\.admin\.socket\.owner: unknown user "no-such-user-warden-test"/
      )
      assert.equal(await exists(path), false)
    })
  })
})

test('a port in use is reported with its config key', async () => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  const { port } = blocker.address() as AddressInfo
  try {
    await assert.rejects(startTestServers({ config: { serve: { admin: { port } } } }), new RegExp(`serve\\.admin\\.port: port ${port} on 127\\.0\\.0\\.1 is already in use`))
  } finally {
    await new Promise((resolve) => blocker.close(resolve))
  }
})

test('host "" listens on every interface', async () => {
  const servers = await startTestServers({ which: 'public', config: { serve: { public: { host: '' } } } })
  try {
    assert.match(servers.servers.public?.address ?? '', /^(\[::\]|0\.0\.0\.0):\d+$/)
    assert.equal((await rawRequest(`${servers.publicUrl}/health/alive`)).status, 200)
  } finally {
    await servers.close()
  }
})

test('the admin listener serves routes with and without /admin; public has neither', async () => {
  const servers = await startTestServers({ adminRoutes: [clientsRoutes] })
  try {
    for (const path of ['/clients', '/admin/clients', '/clients/']) {
      assert.equal((await rawRequest(`${servers.adminUrl}${path}`)).status, 200, path)
    }
    for (const path of ['/admin/version', '/version', '/clients']) {
      assert.equal((await rawRequest(`${servers.publicUrl}${path}`)).status, 404, path)
    }
  } finally {
    await servers.close()
  }
})

describe('graceful shutdown', () => {
  function slowRoute (): { routes: RouteRegistrar, entered: Promise<void>, release: () => void } {
    let markEntered: () => void = () => undefined
    let release: () => void = () => undefined
    const entered = new Promise<void>((resolve) => { markEntered = resolve })
    const released = new Promise<void>((resolve) => { release = resolve })
    const routes: RouteRegistrar = (app) => {
      app.get('/admin/slow', async function slow () {
        markEntered()
        await released
        return { finished: true }
      })
    }
    return { routes, entered, release }
  }

  test('a request in flight completes while new connections are refused', async () => {
    const slow = slowRoute()
    const servers = await startTestServers({ adminRoutes: [slow.routes], which: 'admin' })
    const port = Number(new URL(servers.adminUrl).port)
    const inFlight = rawRequest(`${servers.adminUrl}/slow`)
    await slow.entered
    const closed = servers.close()
    assert.equal(await connectionRefused(port), 'ECONNREFUSED')
    slow.release()
    const res = await inFlight
    assert.equal(res.status, 200)
    assert.deepEqual(JSON.parse(res.body), { finished: true })
    await closed
  })

  test('after serve.shutdown_timeout the remaining connections are closed', async () => {
    const slow = slowRoute()
    const servers = await startTestServers({ adminRoutes: [slow.routes], which: 'admin', config: { serve: { shutdown_timeout: '10ms' } } })
    const inFlight = rawRequest(`${servers.adminUrl}/slow`).then(() => 'answered', (error: NodeJS.ErrnoException) => error.code)
    await slow.entered
    await servers.close()
    assert.equal(await inFlight, 'ECONNRESET')
    assert.ok(servers.logLines.some((line) => line.includes('shutdown timeout reached')))
    slow.release()
  })
})
