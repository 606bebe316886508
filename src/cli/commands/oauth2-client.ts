// Registers every `oauth2-client` noun under Hydra's management verbs (create, get, list, update, delete, import).
import type { Command } from 'commander'
import { processIo, verbCommand, type CliIo } from '../admin-client.js'
import { registerCreateOAuth2ClientCommand } from './create-oauth2-client.js'
import { registerDeleteOAuth2ClientCommand } from './delete-oauth2-client.js'
import { registerGetOAuth2ClientCommand } from './get-oauth2-client.js'
import { registerImportOAuth2ClientCommand } from './import-oauth2-client.js'
import { registerListOAuth2ClientsCommand } from './list-oauth2-clients.js'
import { registerUpdateOAuth2ClientCommand } from './update-oauth2-client.js'

export function registerOAuth2ClientCommands (program: Command, io: CliIo = processIo): void {
  registerCreateOAuth2ClientCommand(verbCommand(program, 'create', 'Create resources'), io)
  registerGetOAuth2ClientCommand(verbCommand(program, 'get', 'Get resources'), io)
  registerListOAuth2ClientsCommand(verbCommand(program, 'list', 'List resources'), io)
  registerUpdateOAuth2ClientCommand(verbCommand(program, 'update', 'Update resources'), io)
  registerDeleteOAuth2ClientCommand(verbCommand(program, 'delete', 'Delete resources'), io)
  registerImportOAuth2ClientCommand(verbCommand(program, 'import', 'Import resources'), io)
}
