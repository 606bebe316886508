// Registers the `jwk` noun (alias jwks) under Hydra's management verbs: create, get, delete, import.
import type { Command } from 'commander'
import { processIo, verbCommand, type CliIo } from '../admin-client.js'
import { registerCreateJwkCommand } from './create-jwk.js'
import { registerDeleteJwkCommand } from './delete-jwk.js'
import { registerGetJwkCommand } from './get-jwk.js'
import { registerImportJwkCommand } from './import-jwk.js'

export function registerJwkCommands (program: Command, io: CliIo = processIo): void {
  registerCreateJwkCommand(verbCommand(program, 'create', 'Create resources'), io)
  registerGetJwkCommand(verbCommand(program, 'get', 'Get resources'), io)
  registerDeleteJwkCommand(verbCommand(program, 'delete', 'Delete resources'), io)
  registerImportJwkCommand(verbCommand(program, 'import', 'Import resources'), io)
}
