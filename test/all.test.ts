// Runs every *.test.js under dist/src and dist/test in this one process (architecture.md, "Speed").
import { readdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const distRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const only = process.env.TEST_ONLY === undefined ? undefined : new RegExp(process.env.TEST_ONLY)

function testFilesUnder (folder: string): string[] {
  return readdirSync(join(distRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js') && !file.endsWith('all.test.js'))
    .map((file) => join(distRoot, folder, file))
}

const files = [...testFilesUnder('src'), ...testFilesUnder('test')]
  .filter((file) => only === undefined || only.test(relative(distRoot, file)))
  .sort()

for (const file of files) await import(pathToFileURL(file).href)
