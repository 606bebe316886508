// A small keep-alive HTTP client for the benchmark's own drivers (code flows, setup): cheaper than fetch on the load CPU.
import { Agent, request as httpRequest } from 'node:http'

const agent = new Agent({ keepAlive: true, maxSockets: 256 })

export interface BenchResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

export async function send (url: string, options: { method?: string, headers?: Record<string, string>, body?: string } = {}): Promise<BenchResponse> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      agent,
      method: options.method ?? 'GET',
      headers: { ...options.headers, ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }) }
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** Sends JSON and parses the JSON answer; throws unless the status is 2xx. */
export async function sendJson (url: string, method: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await send(url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  if (response.status < 200 || response.status > 299) throw new Error(`${method} ${url}: ${response.status} ${response.body}`)
  return response.body === '' ? {} : JSON.parse(response.body) as Record<string, unknown>
}

export const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`

export const FORM = 'application/x-www-form-urlencoded'

export function closeAgent (): void { agent.destroy() }
