// `warden import oauth2-client <file>...` (aliases client, clients, oauth2-clients): creates every client of JSON files or STDIN.
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { CliError } from '../cli-error.js'
import { AdminClient, addAdminOptions, printRow, printTable, readAll, type AdminOptions, type CliIo } from '../admin-client.js'
import { CLIENT_HEADER, clientColumns, clientPrintable, type ClientJson } from './oauth2-client-flags.js'

/** A file holds a JSON array of clients (Hydra's format); a single object is accepted too. */
function parseClients (source: string, text: string): ClientJson[] {
  if (text.trim() === '') return []
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new CliError(`could not decode JSON from ${source}: ${(error as Error).message}`)
  }
  const items = Array.isArray(parsed) ? parsed : [parsed]
  if (!items.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    throw new CliError(`${source} must hold a JSON array of client objects`)
  }
  return items as ClientJson[]
}

export function registerImportOAuth2ClientCommand (importVerb: Command, io: CliIo): void {
  const command = importVerb.command('oauth2-client').aliases(['client', 'clients', 'oauth2-clients'])
    .description('Import OAuth 2.0 clients from JSON files (arrays of clients) or STDIN; existing ids fail')
    .argument('[files...]', 'JSON files; STDIN when none is given')
  addAdminOptions(command)
  command.action(async (files: string[], options: AdminOptions) => {
    const sources: Array<[string, ClientJson[]]> = []
    if (files.length === 0) sources.push(['STDIN', parseClients('STDIN', await readAll(io.stdin))])
    for (const file of files) {
      let text: string
      try { text = readFileSync(file, 'utf8') } catch (error) { throw new CliError(`could not open file ${file}: ${(error as Error).message}`) }
      sources.push([file, parseClients(file, text)])
    }
    const admin = AdminClient.fromOptions(options, io.env)
    const imported: ClientJson[] = []
    const failed: string[] = []
    for (const [source, clients] of sources) {
      for (const body of clients) {
        try {
          const created = (await admin.request<ClientJson>('POST', '/admin/clients', body)).body
          if (created.client_secret === undefined && typeof body.client_secret === 'string') created.client_secret = body.client_secret
          imported.push(created)
        } catch (error) {
          if (!(error instanceof CliError)) throw error
          failed.push(`${source}: ${error.message}`)
        }
      }
    }
    if (imported.length === 1) printRow(io, options, clientPrintable(imported[0] as ClientJson))
    else printTable(io, options, CLIENT_HEADER, imported.map(clientColumns), imported)
    if (failed.length > 0) throw new CliError(failed.join('\n'))
  })
}
