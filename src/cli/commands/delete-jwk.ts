// `warden delete jwk <set>...` (alias jwks): DELETE /admin/keys/{set} for each set.
import type { Command } from 'commander'
import { AdminClient, addAdminOptions, printRow, printTable, type AdminOptions, type CliIo } from '../admin-client.js'

export function registerDeleteJwkCommand (del: Command, io: CliIo): void {
  const command = del.command('jwk').alias('jwks')
    .description('Delete one or more JSON Web Key Sets by id')
    .argument('<set...>', 'set ids')
  addAdminOptions(command)
  command.action(async (sets: string[], options: AdminOptions) => {
    const admin = AdminClient.fromOptions(options, io.env)
    const deleted: string[] = []
    for (const set of sets) {
      await admin.request('DELETE', `/admin/keys/${encodeURIComponent(set)}`)
      deleted.push(set)
    }
    if (deleted.length === 1) printRow(io, options, { header: ['ID'], columns: [deleted[0] as string], value: deleted[0] })
    else if (deleted.length > 1) printTable(io, options, ['ID'], deleted.map((set) => [set]), deleted)
  })
}
