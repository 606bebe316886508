// `warden get jwk <set>...` (alias jwks): GET /admin/keys/{set} for each set, private parts unless --public.
import type { Command } from 'commander'
import { AdminClient, addAdminOptions, type AdminOptions, type CliIo } from '../admin-client.js'
import type { Jwks } from '../../keys/jwk.js'
import { printKey, printKeys, publicOnly, setKeys, type SetKey } from './jwk-output.js'

export function registerGetJwkCommand (get: Command, io: CliIo): void {
  const command = get.command('jwk').alias('jwks')
    .description('Get one or more JSON Web Key Sets by id')
    .argument('<set...>', 'set ids')
    .option('--public', 'print only the public parts')
  addAdminOptions(command)
  command.action(async (sets: string[], options: AdminOptions & { public?: boolean }) => {
    const admin = AdminClient.fromOptions(options, io.env)
    let items: SetKey[] = []
    // Hydra stops at the first set that fails; so do we (the error names the server's reason).
    for (const set of sets) items.push(...setKeys(set, (await admin.request<Jwks>('GET', `/admin/keys/${encodeURIComponent(set)}`)).body.keys))
    if (options.public === true) items = publicOnly(items)
    if (items.length === 1) printKey(io, options, items[0] as SetKey)
    else if (items.length > 1) printKeys(io, options, items)
  })
}
