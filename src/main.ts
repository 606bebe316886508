// Process entry: builds the CLI and runs it.
import { runCli } from './cli/program.js'

await runCli(process.argv)
