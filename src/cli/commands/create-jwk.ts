// `warden create jwk <set> [<kid>]` (alias jwks): POST /admin/keys/{set} generates a key and prints it.
import type { Command } from 'commander'
import { AdminClient, addAdminOptions, type AdminOptions, type CliIo } from '../admin-client.js'
import type { Jwks } from '../../keys/jwk.js'
import { printKeys, publicOnly, setKeys } from './jwk-output.js'

interface CreateJwkOptions extends AdminOptions {
  alg: string
  use: string
  public?: boolean
}

export function registerCreateJwkCommand (create: Command, io: CliIo): void {
  const command = create.command('jwk').alias('jwks')
    .description('Create a JSON Web Key in a set (the set is created when missing); the newest key of a set signs')
    .argument('<set>', 'the set id, e.g. hydra.openid.id-token')
    .argument('[kid]', 'the key id (a UUID when omitted)')
    .option('--alg <alg>', 'the algorithm: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA', 'RS256')
    .option('--use <use>', 'the intended use: sig or enc', 'sig')
    .option('--public', 'print only the public parts')
  addAdminOptions(command)
  command.action(async (set: string, kid: string | undefined, options: CreateJwkOptions) => {
    const admin = AdminClient.fromOptions(options, io.env)
    const { body } = await admin.request<Jwks>('POST', `/admin/keys/${encodeURIComponent(set)}`, { alg: options.alg, use: options.use, kid: kid ?? '' })
    const items = setKeys(set, body.keys)
    printKeys(io, options, options.public === true ? publicOnly(items) : items)
  })
}
