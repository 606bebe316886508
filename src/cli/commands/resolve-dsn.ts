// The database of a maintenance command (migrate, janitor) as resolveDsnArgument finds it, without loading the
// config loader when the DSN is given as the argument (that is most runs, and loading it costs more than the rest).
import type { DsnSourceOptions } from '../dsn-argument.js'

/** The DSN argument, else resolveDsnArgument of dsn-argument.ts (`-e`, `-c`, or the error naming them). */
export async function resolveDsn (argument: string | undefined, options: DsnSourceOptions, env: Record<string, string | undefined>): Promise<string> {
  if (argument !== undefined && argument !== '') return argument
  const { resolveDsnArgument } = await import('../dsn-argument.js')
  return resolveDsnArgument(argument, options, env)
}
