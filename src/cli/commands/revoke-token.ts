// `warden revoke token <token>`: POST /oauth2/revoke (RFC 7009) authenticated as the client that holds the token.
import type { Command } from 'commander'
import { processIo, verbCommand, type CliIo } from '../admin-client.js'
import { addClientOptions, clientCredentials, postForm, publicBase, type ClientOptions } from '../oauth2-endpoint.js'

export function registerRevokeTokenCommand (program: Command, io: CliIo = processIo): void {
  const command = verbCommand(program, 'revoke', 'Revoke resources').command('token')
    .description('Revoke an access or refresh token (and every token of its grant)')
    .argument('<token>', 'the token')
  addClientOptions(command)
  command.action(async (token: string, options: ClientOptions) => {
    const client = clientCredentials(options, io.env, false)
    await postForm(new URL('oauth2/revoke', publicBase(options, io.env)), { token }, client)
    // RFC 7009 §2.2: the server answers 200 whether or not the token existed, so this says "revoked" either way.
    io.stdout.write(`${token}\n`)
    io.stderr.write('Revoked the token (Warden answers the same for unknown tokens, RFC 7009).\n')
  })
}
