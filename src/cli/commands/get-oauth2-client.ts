// `warden get oauth2-client <id>...` (aliases client, clients, oauth2-clients): GET /admin/clients/{id}.
import type { Command } from 'commander'
import { CliError } from '../cli-error.js'
import { AdminClient, addAdminOptions, printRow, printTable, type AdminOptions, type CliIo } from '../admin-client.js'
import { CLIENT_HEADER, clientColumns, clientPrintable, type ClientJson } from './oauth2-client-flags.js'

export function registerGetOAuth2ClientCommand (get: Command, io: CliIo): void {
  const command = get.command('oauth2-client').aliases(['client', 'clients', 'oauth2-clients'])
    .description('Get one or more OAuth 2.0 clients by id')
    .argument('<id...>', 'client ids')
  addAdminOptions(command)
  command.action(async (ids: string[], options: AdminOptions) => {
    const admin = AdminClient.fromOptions(options, io.env)
    const found: ClientJson[] = []
    const failed: string[] = []
    for (const id of ids) {
      try {
        found.push((await admin.request<ClientJson>('GET', `/admin/clients/${encodeURIComponent(id)}`)).body)
      } catch (error) {
        if (!(error instanceof CliError)) throw error
        failed.push(`${id}: ${error.message}`)
      }
    }
    if (found.length === 1 && ids.length === 1) printRow(io, options, clientPrintable(found[0] as ClientJson))
    else if (found.length > 0) printTable(io, options, CLIENT_HEADER, found.map(clientColumns), found)
    if (failed.length > 0) throw new CliError(failed.join('\n'))
  })
}
