// `npm run docs`: regenerates the checked-in docs that are derived from code (for now docs/configuration.md).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { renderConfigurationDoc } from '../src/config/docs.js'

/** The repository root, from dist/scripts/ (compiled) or scripts/ (run from source). */
export const repositoryRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url))

export const CONFIGURATION_DOC = join('docs', 'configuration.md')

export function writeConfigurationDoc (root: string = repositoryRoot): string {
  const path = join(root, CONFIGURATION_DOC)
  writeFileSync(path, renderConfigurationDoc())
  return path
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`wrote ${writeConfigurationDoc()}`)
}
