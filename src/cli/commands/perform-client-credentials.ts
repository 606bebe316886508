// `warden perform client-credentials`: gets an access token with the client credentials grant and prints it.
import type { Command } from 'commander'
import { processIo, verbCommand, type CliIo } from '../admin-client.js'
import { addClientOptions, clientCredentials, listOf, postForm, printTokens, publicBase, type ClientOptions, type TokenResponse } from '../oauth2-endpoint.js'

interface Options extends ClientOptions { scope?: string, audience?: string }

export function registerPerformClientCredentialsCommand (program: Command, io: CliIo = processIo): void {
  const command = verbCommand(program, 'perform', 'Perform OAuth 2.0 flows').command('client-credentials')
    .description('Get an access token with the OAuth 2.0 client credentials grant')
    .option('--scope <scopes>', 'scopes to request, comma separated')
    .option('--audience <audiences>', 'audiences to request, comma separated')
  addClientOptions(command)
  command.action(async (options: Options) => {
    const client = clientCredentials(options, io.env, true)
    const form: Record<string, string> = { grant_type: 'client_credentials' }
    const scopes = listOf(options.scope)
    if (scopes.length > 0) form.scope = scopes.join(' ')
    const audiences = listOf(options.audience)
    if (audiences.length > 0) form.audience = audiences.join(' ')
    const { body } = await postForm(new URL('oauth2/token', publicBase(options, io.env)), form, client)
    printTokens(io, options.format, body as TokenResponse)
  })
}
