// Shared plumbing of the management verbs: endpoint flags, an HTTP client for the admin API (TCP or unix socket), output.
import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Readable } from 'node:stream'
import { Command, Option } from 'commander'
import { CliError } from './cli-error.js'

/** Where a command reads and writes; tests pass buffers, the CLI passes the process streams. */
export interface CliIo {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  stdin: Readable
  env: Record<string, string | undefined>
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }

export type OutputFormat = 'table' | 'json' | 'json-pretty'

export interface AdminOptions {
  endpoint?: string
  httpHeader?: string[]
  skipTlsVerify?: boolean
  format: OutputFormat
  quiet?: boolean
}

const REQUEST_TIMEOUT_MS = 10_000

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/** The verb (`create`, `get`, ...) under `program`, created on first use so every domain can add nouns to it. */
export function verbCommand (program: Command, name: string, description: string): Command {
  return program.commands.find((command) => command.name() === name) ?? program.command(name).description(description)
}

/** Hydra's management flags: -e/--endpoint (or ORY_SDK_URL), -H/--http-header, --skip-tls-verify, --format, -q. */
export function addAdminOptions (command: Command): Command {
  return command
    .option('-e, --endpoint <url>', 'the admin API URL (http://host:4445 or unix:/path/to.sock); defaults to ORY_SDK_URL')
    .option('-H, --http-header <header>', 'a header to send, as "Name: value" (repeatable)', collect)
    .option('--skip-tls-verify', 'do not verify the server certificate (never in production)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'json-pretty']).default('table'))
    .option('-q, --quiet', 'print only ids')
}

export interface AdminResponse<T> {
  status: number
  headers: IncomingHttpHeaders
  body: T
}

/** The error body Hydra and Warden send, turned into one line for the terminal. */
function describeFailure (status: number, body: unknown): string {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const { error, error_description: description } = body as { error: unknown, error_description?: unknown }
    return `${String(error)}${typeof description === 'string' && description !== '' ? `: ${description}` : ''} (HTTP ${status})`
  }
  return `the server answered HTTP ${status}`
}

export class AdminApiError extends CliError {
  readonly status: number
  constructor (status: number, body: unknown) {
    super(describeFailure(status, body))
    this.name = 'AdminApiError'
    this.status = status
  }
}

export class AdminClient {
  private readonly base: URL
  private readonly socketPath: string | undefined
  private readonly headers: Record<string, string>
  private readonly skipTlsVerify: boolean

  constructor (endpoint: string, options: { headers?: Record<string, string>, skipTlsVerify?: boolean } = {}) {
    if (endpoint.startsWith('unix:')) {
      this.socketPath = endpoint.slice('unix:'.length)
      this.base = new URL('http://localhost/')
    } else {
      try {
        this.base = new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`)
      } catch {
        throw new CliError(`the endpoint "${endpoint}" is not a URL such as http://127.0.0.1:4445 or unix:/path/to/admin.sock`)
      }
      if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new CliError(`the endpoint "${endpoint}" must use http, https or unix:`)
      this.socketPath = undefined
    }
    this.headers = options.headers ?? {}
    this.skipTlsVerify = options.skipTlsVerify === true
  }

  static fromOptions (options: AdminOptions, env: CliIo['env']): AdminClient {
    const endpoint = options.endpoint ?? env.ORY_SDK_URL
    if (endpoint === undefined || endpoint === '') {
      throw new CliError('no admin endpoint: pass --endpoint (e.g. http://127.0.0.1:4445) or set ORY_SDK_URL')
    }
    const headers: Record<string, string> = {}
    for (const header of options.httpHeader ?? []) {
      const colon = header.indexOf(':')
      if (colon <= 0) throw new CliError(`--http-header "${header}" must look like "Name: value"`)
      headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim()
    }
    return new AdminClient(endpoint, { headers, skipTlsVerify: options.skipTlsVerify === true })
  }

  /** Sends a JSON request; a non-2xx answer throws AdminApiError with the server's message. */
  async request<T> (method: string, path: string, body?: unknown): Promise<AdminResponse<T>> {
    const url = new URL(path.replace(/^\//, ''), this.base)
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8')
    const options: RequestOptions & { rejectUnauthorized?: boolean } = {
      method,
      headers: {
        accept: 'application/json',
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(payload.length) }),
        ...this.headers
      },
      timeout: REQUEST_TIMEOUT_MS,
      ...(this.socketPath === undefined ? {} : { socketPath: this.socketPath }),
      ...(this.skipTlsVerify ? { rejectUnauthorized: false } : {})
    }
    const send = url.protocol === 'https:' && this.socketPath === undefined ? httpsRequest : httpRequest
    const response = await new Promise<{ status: number, headers: IncomingHttpHeaders, text: string }>((resolve, reject) => {
      const req = send(url, options, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      })
      req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s`)))
      req.on('error', (error) => reject(new CliError(`could not reach ${this.socketPath ?? this.base.origin}: ${error.message}`)))
      req.end(payload)
    })
    let parsed: unknown = undefined
    if (response.text !== '') {
      try { parsed = JSON.parse(response.text) } catch { parsed = response.text }
    }
    if (response.status < 200 || response.status > 299) throw new AdminApiError(response.status, parsed)
    return { status: response.status, headers: response.headers, body: parsed as T }
  }
}

/**
 * Go's text/tabwriter with padchar '\t' (as Hydra's cmdx prints tables): each cell is followed by tabs up to
 * the column's width plus one, rounded up to a multiple of 8.
 */
export function tabulate (rows: readonly string[][]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length) })
  const cellWidth = widths.map((width) => Math.ceil((width + 1) / 8) * 8)
  return rows.map((row) => row.map((cell, i) => `${cell}${'\t'.repeat(Math.ceil(((cellWidth[i] ?? 8) - cell.length) / 8))}`).join('') + '\n').join('')
}

export function printJson (io: CliIo, value: unknown, format: OutputFormat): void {
  io.stdout.write(`${format === 'json-pretty' ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`)
}

export interface Printable {
  header: readonly string[]
  columns: string[]
  value: unknown
}

/** One item: "HEADER<tab>value" lines in table format, the JSON value otherwise, the first column with --quiet. */
export function printRow (io: CliIo, options: AdminOptions, item: Printable): void {
  if (options.quiet === true) { io.stdout.write(`${item.columns[0] ?? ''}\n`); return }
  if (options.format !== 'table') { printJson(io, item.value, options.format); return }
  io.stdout.write(tabulate(item.header.map((name, i) => [name, item.columns[i] ?? ''])))
}

/** Several items: a header row and one row per item in table format, `value` (usually the array) otherwise. */
export function printTable (io: CliIo, options: AdminOptions, header: readonly string[], rows: string[][], value: unknown): void {
  if (options.quiet === true) { for (const row of rows) io.stdout.write(`${row[0] ?? ''}\n`); return }
  if (options.format !== 'table') { printJson(io, value, options.format); return }
  io.stdout.write(tabulate([[...header], ...rows]))
}

/** Reads a whole stream (STDIN for `--file -` and `import`). */
export async function readAll (stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
