// Binding a server to TCP or a UNIX socket, turning bind failures into messages that name the config key.
import type { Server } from 'node:net'
import type { ListenerName } from '../http/http-config.js'

function listenOnce (server: Server, target: { port: number, host: string } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => { server.off('listening', onListening); reject(error) }
    const onListening = (): void => { server.off('error', onError); resolve() }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(target)
  })
}

function bindError (error: NodeJS.ErrnoException, listener: ListenerName, host: string, port: number): Error {
  const where = host === '' ? 'all interfaces' : host
  switch (error.code) {
    case 'EADDRINUSE': return new Error(`serve.${listener}.port: port ${port} on ${where} is already in use`, { cause: error })
    case 'EACCES': return new Error(`serve.${listener}.port: not permitted to listen on port ${port} on ${where} (ports below 1024 need privileges)`, { cause: error })
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return new Error(`serve.${listener}.host: cannot listen on "${host}": no such address on this machine`, { cause: error })
    default: return new Error(`serve.${listener}: cannot listen on port ${port} on ${where}: ${error.message}`, { cause: error })
  }
}

/** Host '' means every interface: IPv6 dual-stack '::', or 0.0.0.0 where IPv6 is unavailable. Returns the host bound. */
export async function listenTcp (server: Server, host: string, port: number, listener: ListenerName): Promise<string> {
  const candidates = host === '' ? ['::', '0.0.0.0'] : [host]
  for (const [index, candidate] of candidates.entries()) {
    try {
      await listenOnce(server, { port, host: candidate })
      return candidate
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const canFallBack = index < candidates.length - 1 && (code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL')
      if (!canFallBack) throw bindError(error as NodeJS.ErrnoException, listener, host, port)
    }
  }
  throw new Error('unreachable')
}

export async function listenUnix (server: Server, path: string, listener: ListenerName): Promise<void> {
  try {
    await listenOnce(server, { path })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : (error as Error).message
    throw new Error(`serve.${listener}.host: cannot create the UNIX socket ${path}: ${reason}`, { cause: error })
  }
}
