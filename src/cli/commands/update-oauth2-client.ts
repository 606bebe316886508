// `warden update oauth2-client <id>` (alias client): JSON Patch of the given flags, or a full PUT with --file.
import type { Command } from 'commander'
import { AdminClient, addAdminOptions, printRow, type AdminOptions, type CliIo } from '../admin-client.js'
import { addClientFlags, clientFromFile, clientPatchFromFlags, clientPrintable, type ClientJson } from './oauth2-client-flags.js'

export function registerUpdateOAuth2ClientCommand (update: Command, io: CliIo): void {
  const command = update.command('oauth2-client').alias('client')
    .description('Update an OAuth 2.0 client: only the flags given change (with --file the whole client is replaced)')
    .argument('<id>', 'the client id')
  addClientFlags(addAdminOptions(command))
  command.action(async (id: string, options: AdminOptions & Record<string, unknown>, self: Command) => {
    const admin = AdminClient.fromOptions(options, io.env)
    const path = `/admin/clients/${encodeURIComponent(id)}`
    let sentSecret = ''
    let client: ClientJson
    if (typeof options.file === 'string' && options.file !== '') {
      const body = await clientFromFile(options.file, io)
      sentSecret = typeof body.client_secret === 'string' ? body.client_secret : ''
      client = (await admin.request<ClientJson>('PUT', path, body)).body
    } else {
      sentSecret = typeof options.secret === 'string' ? options.secret : ''
      client = (await admin.request<ClientJson>('PATCH', path, clientPatchFromFlags(options, self))).body
    }
    if (client.client_secret === undefined && sentSecret !== '') client.client_secret = sentSecret
    printRow(io, options, clientPrintable(client))
  })
}
