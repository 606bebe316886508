// A minimal HTTP(S) client for listener tests: no connection reuse, optional source address, CA and UNIX socket.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { TLSSocket } from 'node:tls'

export interface RawRequestOptions {
  method?: string
  headers?: Record<string, string>
  body?: string
  /** Source address of the client socket (e.g. 127.0.0.2 to look like an untrusted host). */
  localAddress?: string
  /** Trusted CA (PEM) for https URLs. */
  ca?: string | string[]
  socketPath?: string
}

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
  /** SHA-256 fingerprint of the server certificate for https URLs. */
  fingerprint256?: string
}

/** `url` is absolute; with `socketPath` only its path is used. */
export function rawRequest (url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const target = new URL(url)
  const isHttps = target.protocol === 'https:'
  const send = isHttps ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = send({
      ...(options.socketPath === undefined
        ? { host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port }
        : { socketPath: options.socketPath }),
      path: `${target.pathname}${target.search}`,
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: false,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      ...(options.ca === undefined ? {} : { ca: options.ca })
    }, (res) => {
      const chunks: Buffer[] = []
      const socket = res.socket as Partial<TLSSocket>
      const fingerprint256 = isHttps ? socket.getPeerCertificate?.().fingerprint256 : undefined
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(fingerprint256 === undefined ? {} : { fingerprint256 })
      }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}
