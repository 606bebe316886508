// A real webhook receiver for token hook tests: node:http on a free port, recording each call and answering as told.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { freePort } from './warden.js'

export interface HookCall {
  path: string
  headers: IncomingHttpHeaders
  body: Record<string, unknown>
}

export interface HookAnswer {
  status: number
  /** Sent as JSON; a string is sent as it is. */
  body?: unknown
}

export interface HookReceiver {
  /** `http://127.0.0.1:<port>/hook`. */
  url: string
  calls: HookCall[]
  /** What the next calls get (default 204); called with each call. */
  answer: (call: HookCall) => HookAnswer
  close(): Promise<void>
}

export async function startHookReceiver (): Promise<HookReceiver> {
  const receiver: Omit<HookReceiver, 'url' | 'close'> = { calls: [], answer: () => ({ status: 204 }) }
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const call: HookCall = { path: request.url ?? '', headers: request.headers, body: text === '' ? {} : JSON.parse(text) as Record<string, unknown> }
      receiver.calls.push(call)
      const { status, body } = receiver.answer(call)
      if (body === undefined) {
        response.writeHead(status).end()
        return
      }
      response.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => { resolve() }))
      server.closeAllConnections() // Warden's fetch keeps connections alive
      await closed
    }
  })
}

/** A URL on a port nothing listens on. */
export async function unreachableUrl (): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/hook`
}
