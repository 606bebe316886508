// `warden delete oauth2-client <id>...` (aliases client, clients, oauth2-clients): DELETE /admin/clients/{id}.
import type { Command } from 'commander'
import { CliError } from '../cli-error.js'
import { AdminClient, addAdminOptions, printRow, printTable, type AdminOptions, type CliIo } from '../admin-client.js'

export function registerDeleteOAuth2ClientCommand (del: Command, io: CliIo): void {
  const command = del.command('oauth2-client').aliases(['client', 'clients', 'oauth2-clients'])
    .description('Delete one or more OAuth 2.0 clients (their tokens and consent sessions go with them)')
    .argument('<id...>', 'client ids')
  addAdminOptions(command)
  command.action(async (ids: string[], options: AdminOptions) => {
    const admin = AdminClient.fromOptions(options, io.env)
    const deleted: string[] = []
    const failed: string[] = []
    for (const id of ids) {
      try {
        await admin.request('DELETE', `/admin/clients/${encodeURIComponent(id)}`)
        deleted.push(id)
      } catch (error) {
        if (!(error instanceof CliError)) throw error
        failed.push(`${id}: ${error.message}`)
      }
    }
    if (deleted.length === 1) printRow(io, options, { header: ['ID'], columns: [deleted[0] as string], value: deleted[0] })
    else if (deleted.length > 1) printTable(io, options, ['ID'], deleted.map((id) => [id]), deleted)
    if (failed.length > 0) throw new CliError(failed.join('\n'))
  })
}
