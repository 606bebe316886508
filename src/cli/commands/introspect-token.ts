// `warden introspect token <token>`: POST /admin/oauth2/introspect and print what Warden knows about the token.
import type { Command } from 'commander'
import { CliError } from '../cli-error.js'
import { AdminClient, addAdminOptions, printRow, processIo, verbCommand, type AdminOptions, type CliIo } from '../admin-client.js'
import { listOf } from '../oauth2-endpoint.js'

interface Options extends AdminOptions { scope?: string }

interface Introspection { active: boolean, sub?: string, client_id?: string, scope?: string, exp?: number, token_use?: string }

export function registerIntrospectTokenCommand (program: Command, io: CliIo = processIo): void {
  const command = verbCommand(program, 'introspect', 'Introspect resources').command('token')
    .description('Introspect an access or refresh token (admin API)')
    .argument('<token>', 'the token')
    .option('--scope <scopes>', 'scopes the token must have been granted, comma separated (else it is reported inactive)')
  addAdminOptions(command)
  command.action(async (token: string, options: Options) => {
    // Validates --endpoint / ORY_SDK_URL and -H exactly as the other management verbs do.
    AdminClient.fromOptions(options, io.env)
    const base = options.endpoint ?? io.env.ORY_SDK_URL ?? ''
    if (base.startsWith('unix:')) throw new CliError('introspect token needs an http(s) admin endpoint; UNIX sockets are not supported by this command yet')
    const headers = Object.fromEntries((options.httpHeader ?? []).map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]))
    const form = new URLSearchParams({ token })
    const scopes = listOf(options.scope)
    if (scopes.length > 0) form.set('scope', scopes.join(' '))
    // The admin client speaks JSON; introspection takes a form, so this one request uses fetch.
    const endpoint = new URL('admin/oauth2/introspect', base.endsWith('/') ? base : `${base}/`).toString()
    let response: Response
    try {
      response = await fetch(endpoint, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() })
    } catch (error) {
      throw new CliError(`could not reach ${endpoint}: ${(error as Error).message}`)
    }
    const body = await response.json().catch(() => ({})) as Introspection & { error?: string, error_description?: string }
    if (!response.ok) throw new CliError(`${body.error ?? 'introspection failed'}${body.error_description === undefined ? '' : `: ${body.error_description}`} (HTTP ${response.status})`)
    printRow(io, options, {
      header: ['ACTIVE', 'SUBJECT', 'CLIENT ID', 'SCOPE', 'EXPIRY', 'TOKEN USE'],
      columns: [String(body.active), body.sub ?? '', body.client_id ?? '', body.scope ?? '', body.exp === undefined ? '' : new Date(body.exp * 1000).toISOString(), body.token_use ?? ''],
      value: body
    })
  })
}
