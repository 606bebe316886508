// Starts the public and admin listeners (TCP or UNIX socket, HTTP or HTTPS) and stops them gracefully.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { HttpConfig, ListenerName } from '../http/http-config.js'
import { decideTlsMode, isUnixSocketHost, type TlsMode } from '../http/tls-mode.js'
import type { Sealer } from '../keys/sealing.js'
import type { TlsCertificateStore } from '../keys/tls-certificate.store.js'
import { parseDurationMs } from '../lib/duration.js'
import { ensureSelfSignedTls, loadTlsMaterial, selfSignedHostnames, watchTlsFiles, type TlsFileWatcher, type TlsMaterial } from './tls.js'
import { applySocketPermissions, prepareSocketPath, socketPathOf } from './unix-socket.js'
import { listenTcp, listenUnix } from './listen.js'

export interface StartServersOptions {
  which: 'all' | 'public' | 'admin'
  config: HttpConfig
  forceHttp: boolean
  logger: Logger
  publicApp?: FastifyInstance
  adminApp?: FastifyInstance
  /** Needed only when a listener serves a self-signed certificate. */
  tlsCertificates?: TlsCertificateStore
  sealer?: Sealer
  /** How often watched certificate files are polled (default 2 s). */
  tlsReloadIntervalMs?: number
}

export interface ListenerInfo {
  /** `https://127.0.0.1:4444`, or `unix:/path` for a socket. */
  url: string
  /** `[::]:4444`, `127.0.0.1:4445` or the socket path. */
  address: string
  mode: TlsMode
  server: Server | HttpsServer
}

export interface RunningServers {
  public?: ListenerInfo
  admin?: ListenerInfo
  /** Stops accepting, lets in-flight requests finish (up to serve.shutdown_timeout), then closes the apps. */
  close(): Promise<void>
}

/** Responses in flight, so a drain can ask their connections to close instead of idling on keep-alive. */
class InFlightRequests {
  private readonly responses = new Set<ServerResponse>()
  private isDraining = false
  private readonly server: () => Server | HttpsServer | undefined

  constructor (server: () => Server | HttpsServer | undefined) {
    this.server = server
  }

  track (res: ServerResponse): void {
    this.responses.add(res)
    if (this.isDraining) res.setHeader('connection', 'close')
    res.once('close', () => {
      this.responses.delete(res)
      if (this.isDraining) setImmediate(() => this.server()?.closeIdleConnections())
    })
  }

  drain (): void {
    this.isDraining = true
    for (const res of this.responses) if (!res.headersSent) res.setHeader('connection', 'close')
  }
}

interface StartedListener {
  info: ListenerInfo
  stop(timeoutMs: number): Promise<void>
}

function displayUrl (scheme: string, host: string, port: number): string {
  const shown = host === '' || host === '::' || host === '0.0.0.0' ? '127.0.0.1' : host
  return `${scheme}://${shown.includes(':') ? `[${shown}]` : shown}:${port}`
}

async function materialFor (options: StartServersOptions, listener: ListenerName, mode: TlsMode, files: Parameters<typeof loadTlsMaterial>[0] | undefined, shared: { selfSigned?: Promise<TlsMaterial> }): Promise<TlsMaterial | undefined> {
  if (mode === 'https-files' && files !== undefined) return await loadTlsMaterial(files)
  if (mode !== 'https-self-signed') return undefined
  if (options.tlsCertificates === undefined || options.sealer === undefined) {
    throw new Error(`serve.${listener}: a self-signed TLS certificate is needed but no certificate store or secrets.system is available; configure serve.tls.cert and serve.tls.key`)
  }
  const urls = options.config.urls.self
  shared.selfSigned ??= ensureSelfSignedTls({
    store: options.tlsCertificates,
    sealer: options.sealer,
    hostnames: selfSignedHostnames([urls.issuer, urls.public, urls.admin]),
    logger: options.logger
  })
  return await shared.selfSigned
}

async function startListener (options: StartServersOptions, listener: ListenerName, app: FastifyInstance, shared: { selfSigned?: Promise<TlsMaterial> }): Promise<StartedListener> {
  const { config, logger } = options
  const listenerConfig = config.serve[listener]
  const isUnixSocket = isUnixSocketHost(listenerConfig.host)
  const decision = decideTlsMode(config, listener, { forceHttp: options.forceHttp, isUnixSocket })
  logger[decision.isWarning ? 'warn' : 'info']({ listener, tls_mode: decision.mode }, decision.reason)

  await app.ready()
  let server: Server | HttpsServer | undefined
  const inFlight = new InFlightRequests(() => server)
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight.track(res)
    app.routing(req, res)
  }
  const material = await materialFor(options, listener, decision.mode, decision.files, shared)
  server = material === undefined ? createHttpServer(handler) : createHttpsServer({ cert: material.cert, key: material.key }, handler)
  const httpServer = server

  let watcher: TlsFileWatcher | undefined
  let socketPath: string | undefined
  let info: ListenerInfo
  let isSocketCreated = false
  try {
    if (isUnixSocket) {
      socketPath = socketPathOf(listenerConfig.host)
      await prepareSocketPath(socketPath, listener)
      await listenUnix(httpServer, socketPath, listener)
      isSocketCreated = true
      await applySocketPermissions(socketPath, listenerConfig.socket, listener)
      info = { url: `unix:${socketPath}`, address: socketPath, mode: decision.mode, server: httpServer }
    } else {
      const host = await listenTcp(httpServer, listenerConfig.host, listenerConfig.port, listener)
      const { port } = httpServer.address() as AddressInfo
      const scheme = material === undefined ? 'http' : 'https'
      info = { url: displayUrl(scheme, host, port), address: `${host.includes(':') ? `[${host}]` : host}:${port}`, mode: decision.mode, server: httpServer }
    }
  } catch (error) {
    httpServer.close()
    if (socketPath !== undefined && isSocketCreated) await rm(socketPath, { force: true })
    throw error
  }
  httpServer.on('error', (error) => logger.error({ err: error, listener }, 'listener error'))
  if (decision.mode === 'https-files' && decision.files !== undefined) {
    const https = httpServer as HttpsServer
    watcher = watchTlsFiles(decision.files, (next) => https.setSecureContext({ cert: next.cert, key: next.key }), {
      logger,
      ...(options.tlsReloadIntervalMs === undefined ? {} : { intervalMs: options.tlsReloadIntervalMs })
    })
  }

  return {
    info,
    async stop (timeoutMs: number): Promise<void> {
      watcher?.close()
      inFlight.drain()
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()))
      httpServer.closeIdleConnections()
      const timer = timeoutMs <= 0
        ? (httpServer.closeAllConnections(), undefined)
        : setTimeout(() => {
          logger.warn({ listener }, 'shutdown timeout reached: closing connections with requests still in flight')
          httpServer.closeAllConnections()
        }, timeoutMs)
      await closed
      clearTimeout(timer)
      if (socketPath !== undefined) await rm(socketPath, { force: true })
    }
  }
}

/** Binds the requested listeners; if one fails, those already started are closed before the error is rethrown. */
export async function startServers (options: StartServersOptions): Promise<RunningServers> {
  const names: ListenerName[] = options.which === 'all' ? ['public', 'admin'] : [options.which]
  const apps = names.map((name) => {
    const app = name === 'public' ? options.publicApp : options.adminApp
    if (app === undefined) throw new Error(`startServers: no app was given for the ${name} listener`)
    return app
  })
  const shared: { selfSigned?: Promise<TlsMaterial> } = {}
  const started = new Map<ListenerName, StartedListener>()
  const closeApps = async (): Promise<void> => {
    const results = await Promise.allSettled(apps.map(async (app) => await app.close()))
    for (const result of results) if (result.status === 'rejected') options.logger.error({ err: result.reason }, 'closing an HTTP app failed')
  }
  try {
    for (const [index, name] of names.entries()) started.set(name, await startListener(options, name, apps[index] as FastifyInstance, shared))
  } catch (error) {
    await Promise.allSettled([...started.values()].map(async (listener) => await listener.stop(0)))
    await closeApps()
    throw error
  }

  const timeoutMs = parseDurationMs(options.config.serve.shutdown_timeout)
  let closing: Promise<void> | undefined
  const result: RunningServers = {
    close: () => {
      closing ??= (async () => {
        await Promise.all([...started.values()].map(async (listener) => await listener.stop(timeoutMs)))
        await closeApps()
      })()
      return closing
    }
  }
  for (const [name, listener] of started) result[name] = listener.info
  return result
}
