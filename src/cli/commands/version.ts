// `warden version`: prints the version like `hydra version`.
import type { Command } from 'commander'
import { wardenVersion } from '../../lib/package-version.js'

export function registerVersionCommand (program: Command): void {
  program.command('version').description('show the version of this build').action(() => {
    process.stdout.write(`Version:    ${wardenVersion()}\n`)
  })
}
