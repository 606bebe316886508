// Builds the `warden` command tree (Hydra's verbs) and runs it, turning known failures into one-line messages.
// The command modules only describe their commands (names, options, help); each action imports what it needs when
// it runs, so `warden version` or a mistyped flag does not load the server, the database drivers or the config schema.
import { Command, CommanderError } from 'commander'
import { CliError } from './cli-error.js'
import { StartupError } from '../errors/startup-error.js'
import { registerServeCommand } from './commands/serve.js'
import { registerMigrateCommand } from './commands/migrate-sql.js'
import { registerVersionCommand } from './commands/version.js'
import { registerOAuth2ClientCommands } from './commands/oauth2-client.js'
import { registerJanitorCommand } from './commands/janitor.js'
import { registerJwkCommands } from './commands/jwk.js'
import { registerMigrateSecretsCommand } from './commands/migrate-secrets.js'
import { wardenVersion } from '../lib/package-version.js'
import { registerPerformClientCredentialsCommand } from './commands/perform-client-credentials.js'
import { registerPerformAuthorizationCodeCommand } from './commands/perform-authorization-code.js'
import { registerIntrospectTokenCommand } from './commands/introspect-token.js'
import { registerRevokeTokenCommand } from './commands/revoke-token.js'
import { registerDoctorCommand } from './commands/doctor.js'

export function buildProgram (): Command {
  const program = new Command('warden')
    .description('Warden: an OAuth 2.0 and OpenID Connect server, API-compatible with Ory Hydra v2')
    .version(wardenVersion(), '-v, --version', 'print the version')
    .showHelpAfterError()
  registerServeCommand(program)
  registerMigrateCommand(program)
  registerMigrateSecretsCommand(program)
  registerVersionCommand(program)
  registerOAuth2ClientCommands(program)
  registerJanitorCommand(program)
  registerJwkCommands(program)
  registerPerformClientCredentialsCommand(program)
  registerPerformAuthorizationCodeCommand(program)
  registerIntrospectTokenCommand(program)
  registerRevokeTokenCommand(program)
  registerDoctorCommand(program)
  return program
}

/** Prints each line of a failure to stderr; configuration problems come one per line. */
export async function reportFailure (error: unknown): Promise<number> {
  if (error instanceof CliError || error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`)
    return error instanceof CliError ? error.exitCode : 1
  }
  if (error instanceof CommanderError) return error.exitCode
  // Loaded only now: a command that throws a ConfigError has loaded the class already.
  const { ConfigError } = await import('../config/problems.js')
  if (error instanceof ConfigError) {
    process.stderr.write(`The configuration is invalid:\n${error.problems.map((line) => `  - ${line}`).join('\n')}\n`)
    return 1
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  return 1
}

export async function runCli (argv: readonly string[]): Promise<void> {
  const program = buildProgram().exitOverride()
  try {
    await program.parseAsync(argv as string[])
  } catch (error) {
    process.exitCode = await reportFailure(error)
  }
}
