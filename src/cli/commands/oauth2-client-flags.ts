// Hydra's OAuth 2.0 client flags for `create` and `update oauth2-client`, their JSON body / JSON Patch, and table output.
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { CliError } from '../cli-error.js'
import { readAll, type CliIo, type Printable } from '../admin-client.js'

export type ClientJson = Record<string, unknown>

type Kind = 'string' | 'list' | 'bool' | 'json' | 'scope'

interface ClientFlag {
  flag: string
  /** The commander attribute name (camelCase of the flag). */
  key: string
  field: string
  kind: Kind
  description: string
  default?: string | string[] | boolean
}

// pflag's StringSlice: repeatable, each value may hold several comma-separated entries, and the first value given
// replaces the default instead of adding to it.
function sliceParser (defaultValue: unknown): (value: string, previous: string[] | undefined) => string[] {
  return (value, previous) => [...(previous === defaultValue ? [] : (previous ?? [])), ...value.split(',').filter((part) => part !== '')]
}

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

function flag (name: string, field: string, kind: Kind, description: string, defaultValue?: string | string[] | boolean): ClientFlag {
  return { flag: name, key: camel(name), field, kind, description, ...(defaultValue === undefined ? {} : { default: defaultValue }) }
}

/** Hydra's flags, their JSON fields and defaults (cmd/cmd_helper_client.go). */
export const CLIENT_FLAGS: readonly ClientFlag[] = [
  flag('name', 'client_name', 'string', "the client's name"),
  flag('secret', 'client_secret', 'string', "the client's secret (generated when empty)"),
  flag('redirect-uri', 'redirect_uris', 'list', 'allowed OAuth2 redirect URIs (repeatable, comma separated)', []),
  flag('grant-type', 'grant_types', 'list', 'allowed grant types', ['authorization_code']),
  flag('response-type', 'response_types', 'list', 'allowed response types', ['code']),
  flag('scope', 'scope', 'scope', 'the scope the client may request (comma separated)', []),
  flag('audience', 'audience', 'list', 'the audiences the client may request', []),
  flag('token-endpoint-auth-method', 'token_endpoint_auth_method', 'string', 'client_secret_basic, client_secret_post, private_key_jwt or none', 'client_secret_basic'),
  flag('jwks-uri', 'jwks_uri', 'string', 'URL of the client JSON Web Key Set (for private_key_jwt)'),
  flag('policy-uri', 'policy_uri', 'string', 'URL of the privacy policy'),
  flag('tos-uri', 'tos_uri', 'string', 'URL of the terms of service'),
  flag('client-uri', 'client_uri', 'string', 'URL of a page about the client'),
  flag('logo-uri', 'logo_uri', 'string', 'URL of the client logo'),
  flag('allowed-cors-origin', 'allowed_cors_origins', 'list', 'origins allowed to make CORS requests', []),
  flag('subject-type', 'subject_type', 'string', 'public or pairwise', 'public'),
  flag('post-logout-callback', 'post_logout_redirect_uris', 'list', 'URLs allowed after logout', []),
  flag('frontchannel-logout-callback', 'frontchannel_logout_uri', 'string', 'front-channel logout URL'),
  flag('frontchannel-logout-session-required', 'frontchannel_logout_session_required', 'bool', 'front-channel logout needs iss and sid', false),
  flag('backchannel-logout-callback', 'backchannel_logout_uri', 'string', 'back-channel logout URL'),
  flag('backchannel-logout-session-required', 'backchannel_logout_session_required', 'bool', 'back-channel logout token needs sid', false),
  flag('metadata', 'metadata', 'json', 'arbitrary JSON metadata', '{}'),
  flag('owner', 'owner', 'string', 'the owner of the client'),
  flag('contact', 'contacts', 'list', 'ways to contact the people responsible for the client'),
  flag('request-uri', 'request_uris', 'list', 'pre-registered request_uri values'),
  flag('request-object-signing-alg', 'request_object_signing_alg', 'string', 'algorithm request objects must be signed with', 'RS256'),
  flag('sector-identifier-uri', 'sector_identifier_uri', 'string', 'https URL of a JSON array of redirect URIs (pairwise subjects)'),
  flag('skip-consent', 'skip_consent', 'bool', 'skip the consent screen for this client', false),
  flag('skip-logout-consent', 'skip_logout_consent', 'bool', 'skip the logout consent screen for this client', false),
  flag('access-token-strategy', 'access_token_strategy', 'string', 'opaque or jwt (default: the server setting)')
]

export function addClientFlags (command: Command): Command {
  command.option('--file <path>', 'read the client as JSON from this file ("-" for STDIN); other client flags are then ignored')
  for (const item of CLIENT_FLAGS) {
    const label = `--${item.flag}`
    if (item.kind === 'bool') command.option(label, item.description)
    else if (item.kind === 'list' || item.kind === 'scope') command.option(`${label} <value>`, item.description, sliceParser(item.default), item.default as string[] | undefined)
    else command.option(`${label} <value>`, item.description, item.default as string | undefined)
  }
  return command
}

function valueOf (item: ClientFlag, options: Record<string, unknown>): unknown {
  const raw = options[item.key] ?? item.default
  switch (item.kind) {
    case 'bool': return raw === true
    case 'list': return raw ?? []
    case 'scope': return ((raw ?? []) as string[]).join(' ')
    case 'json':
      try {
        return JSON.parse(String(raw ?? '{}')) as unknown
      } catch {
        throw new CliError(`--${item.flag} must be JSON, got: ${String(raw)}`)
      }
    default: return raw ?? ''
  }
}

/** Reads `--file` (a path or "-" for STDIN) as one JSON client. */
export async function clientFromFile (path: string, io: CliIo): Promise<ClientJson> {
  let text: string
  try {
    text = path === '-' ? await readAll(io.stdin) : readFileSync(path, 'utf8')
  } catch (error) {
    throw new CliError(`unable to open file "${path}": ${(error as Error).message}`)
  }
  try {
    const parsed = JSON.parse(text) as unknown
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object')
    return parsed as ClientJson
  } catch (error) {
    throw new CliError(`unable to decode JSON from "${path}": ${(error as Error).message}`)
  }
}

/** The full client from the flags (each at its value or default), or from `--file`. */
export async function clientFromFlags (options: Record<string, unknown>, io: CliIo): Promise<ClientJson> {
  if (typeof options.file === 'string' && options.file !== '') return await clientFromFile(options.file, io)
  return Object.fromEntries(CLIENT_FLAGS.map((item) => [item.field, valueOf(item, options)]))
}

/** A JSON Patch with one `replace` per flag actually given on the command line (Hydra's update without --file). */
export function clientPatchFromFlags (options: Record<string, unknown>, command: Command): Array<{ op: 'replace', path: string, value: unknown }> {
  return CLIENT_FLAGS
    .filter((item) => command.getOptionValueSource(item.key) === 'cli')
    .map((item) => ({ op: 'replace' as const, path: `/${item.field}`, value: valueOf(item, options) }))
}

export const CLIENT_HEADER = ['CLIENT ID', 'CLIENT SECRET', 'GRANT TYPES', 'RESPONSE TYPES', 'SCOPE', 'AUDIENCE', 'REDIRECT URIS'] as const

const list = (value: unknown, separator: string): string => Array.isArray(value) ? value.join(separator) : ''
const text = (value: unknown): string => typeof value === 'string' ? value : ''

/** Hydra's table columns for a client (cmd/output_client.go). */
export function clientColumns (client: ClientJson): string[] {
  return [
    text(client.client_id), text(client.client_secret), list(client.grant_types, ', '), list(client.response_types, ', '),
    text(client.scope), list(client.audience, ','), list(client.redirect_uris, ', ')
  ]
}

export function clientPrintable (client: ClientJson): Printable {
  return { header: CLIENT_HEADER, columns: clientColumns(client), value: client }
}
