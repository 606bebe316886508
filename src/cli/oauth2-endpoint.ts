// The public OAuth 2.0 endpoints as the `perform`, `revoke` and `introspect` verbs use them: flags, client auth, fetch.
import { Command, Option } from 'commander'
import { CliError } from './cli-error.js'
import { printRow, type CliIo, type OutputFormat } from './admin-client.js'

export interface ClientOptions {
  endpoint?: string
  clientId?: string
  clientSecret?: string
  format: OutputFormat
}

export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:4444/'
const TIMEOUT_MS = 10_000

/** -e/--endpoint (public URL), --client-id/--client-secret (or OAUTH2_CLIENT_ID/OAUTH2_CLIENT_SECRET), --format. */
export function addClientOptions (command: Command): Command {
  return command
    .option('-e, --endpoint <url>', `Warden's public URL (default ${DEFAULT_PUBLIC_URL})`)
    .option('--client-id <id>', 'the OAuth 2.0 client id (or env OAUTH2_CLIENT_ID)')
    .option('--client-secret <secret>', 'the OAuth 2.0 client secret (or env OAUTH2_CLIENT_SECRET)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'json-pretty']).default('table'))
}

// Not ORY_SDK_URL: the management verbs use it for the admin URL, and these commands talk to the public one.
export function publicBase (options: ClientOptions, _env: CliIo['env']): URL {
  const endpoint = options.endpoint ?? DEFAULT_PUBLIC_URL
  try {
    return new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`)
  } catch {
    throw new CliError(`the endpoint "${endpoint}" is not a URL such as ${DEFAULT_PUBLIC_URL}`)
  }
}

export interface ClientCredentials { id: string, secret: string | undefined }

export function clientCredentials (options: ClientOptions, env: CliIo['env'], isSecretRequired: boolean): ClientCredentials {
  const id = options.clientId ?? env.OAUTH2_CLIENT_ID ?? ''
  const secret = options.clientSecret ?? env.OAUTH2_CLIENT_SECRET
  if (id === '') throw new CliError('no client: pass --client-id (or set OAUTH2_CLIENT_ID)')
  if (isSecretRequired && (secret === undefined || secret === '')) throw new CliError('no client secret: pass --client-secret (or set OAUTH2_CLIENT_SECRET)')
  return { id, secret: secret === '' ? undefined : secret }
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they go into the Basic header. */
export function basicAuthorization (client: ClientCredentials): string {
  const encode = (text: string): string => encodeURIComponent(text).replace(/%20/g, '+')
  return `Basic ${Buffer.from(`${encode(client.id)}:${encode(client.secret ?? '')}`).toString('base64')}`
}

/** POSTs a form with client authentication (Basic with a secret, `client_id` in the body without); returns the JSON. */
export async function postForm (url: URL, form: Record<string, string>, client: ClientCredentials | undefined): Promise<{ status: number, body: Record<string, unknown> }> {
  const fields = new URLSearchParams(form)
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
  if (client?.secret !== undefined) headers.authorization = basicAuthorization(client)
  else if (client !== undefined) fields.set('client_id', client.id)
  let response: Response
  try {
    response = await fetch(url, { method: 'POST', headers, body: fields.toString(), signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch (error) {
    throw new CliError(`could not reach ${url.origin}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`)
  }
  const text = await response.text()
  let body: Record<string, unknown> = {}
  try { body = text === '' ? {} : JSON.parse(text) as Record<string, unknown> } catch { body = { error: text.slice(0, 200) } }
  if (!response.ok) {
    const description = typeof body.error_description === 'string' && body.error_description !== '' ? `: ${body.error_description}` : ''
    throw new CliError(`${String(body.error ?? 'request failed')}${description} (HTTP ${response.status} from ${url.pathname})`)
  }
  return { status: response.status, body }
}

/** A comma- or space-separated flag value as a list (`--scope offline,openid` or `--scope "offline openid"`). */
export function listOf (value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter((entry) => entry !== '')
}

export interface TokenResponse { access_token?: string, refresh_token?: string, id_token?: string, expires_in?: number, scope?: string, token_type?: string }

/** Hydra's token table: ACCESS TOKEN, REFRESH TOKEN, ID TOKEN, EXPIRY (JSON formats print the response itself). */
export function printTokens (io: CliIo, format: OutputFormat, token: TokenResponse): void {
  const expiry = typeof token.expires_in === 'number' ? new Date(Date.now() + token.expires_in * 1000).toISOString() : ''
  printRow(io, { format }, {
    header: ['ACCESS TOKEN', 'REFRESH TOKEN', 'ID TOKEN', 'EXPIRY', 'SCOPE'],
    columns: [token.access_token ?? '', token.refresh_token ?? '', token.id_token ?? '', expiry, token.scope ?? ''],
    value: token
  })
}
