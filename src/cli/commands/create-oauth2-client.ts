// `warden create oauth2-client` (alias `client`): POST /admin/clients from Hydra's flags or --file.
import type { Command } from 'commander'
import { AdminClient, addAdminOptions, printRow, type AdminOptions, type CliIo } from '../admin-client.js'
import { addClientFlags, clientFromFlags, clientPrintable, type ClientJson } from './oauth2-client-flags.js'

export function registerCreateOAuth2ClientCommand (create: Command, io: CliIo): void {
  const command = create.command('oauth2-client').alias('client')
    .description('Create an OAuth 2.0 client (prints its secret once)')
    .option('--id <id>', 'the client id (a UUID is generated when empty)')
  addClientFlags(addAdminOptions(command))
  command.action(async (options: AdminOptions & Record<string, unknown>) => {
    const body = await clientFromFlags(options, io)
    if (typeof options.id === 'string' && options.id !== '') body.client_id = options.id
    const { body: client } = await AdminClient.fromOptions(options, io.env).request<ClientJson>('POST', '/admin/clients', body)
    printRow(io, options, clientPrintable(client))
  })
}
