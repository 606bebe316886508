// `npm run docs`: regenerates the checked-in docs that are derived from code (docs/configuration.md, docs/openapi.json).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { renderOpenApiDocument } from '../src/app/openapi-document.js'
import { renderConfigurationDoc } from '../src/config/docs.js'

/** The repository root, from dist/scripts/ (compiled) or scripts/ (run from source). */
export const repositoryRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url))

export const CONFIGURATION_DOC = join('docs', 'configuration.md')

export function writeConfigurationDoc (root: string = repositoryRoot): string {
  const path = join(root, CONFIGURATION_DOC)
  writeFileSync(path, renderConfigurationDoc())
  return path
}

export const OPENAPI_DOC = join('docs', 'openapi.json')

export function writeOpenApiDoc (root: string = repositoryRoot): string {
  const path = join(root, OPENAPI_DOC)
  writeFileSync(path, renderOpenApiDocument())
  return path
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`wrote ${writeConfigurationDoc()}`)
  console.log(`wrote ${writeOpenApiDoc()}`)
}
