// Imports test files into this process, each inside a suite named by its path, one file at a time.
//
//   await runTestFiles()   // test/all.test.ts: every *.test.js under dist/src and dist/test (TEST_ONLY filters)
//
// Alone, a process takes every file. Started by scripts/test.ts, several processes share one queue (a folder named
// by WARDEN_TEST_QUEUE): each claims the next unclaimed file by creating a marker file (O_EXCL), runs it to the end,
// then claims the next, so a slow file never leaves the other processes idle. Files that start child processes
// come first (they are the long ones); the many short in-process files then fill in at the end.
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** dist/ (this file is compiled to dist/test/support/). */
const distRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

function testFilesUnder (folder: string): string[] {
  return readdirSync(join(distRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js') && !file.endsWith('all.test.js'))
    .map((file) => join(folder, file))
}

function startsChildProcesses (file: string): boolean {
  return /from ['"](node:child_process|[./]+\/support\/processes\.js)['"]/.test(readFileSync(join(distRoot, file), 'utf8'))
}

/** Paths relative to dist/, in the order they are handed out; `only` is TEST_ONLY. */
function testFiles (only: string | undefined = process.env.TEST_ONLY): string[] {
  const pattern = only === undefined ? undefined : new RegExp(only)
  const files = [...testFilesUnder('src'), ...testFilesUnder('test')]
    .filter((file) => pattern === undefined || pattern.test(file))
    .sort()
  const spawning = files.filter(startsChildProcesses)
  return [...spawning, ...files.filter((file) => !spawning.includes(file))]
}

/** True if this process got `file`: the first to create its marker in `queue` wins. */
function claim (queue: string, file: string): boolean {
  try {
    closeSync(openSync(join(queue, file.replace(/[\\/]/g, '__')), 'wx'))
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

export async function runTestFiles (queue: string | undefined = process.env.WARDEN_TEST_QUEUE): Promise<void> {
  for (const file of testFiles()) {
    if (queue !== undefined && !claim(queue, file)) continue
    // The suite's hooks and tests are those the file registers while it is imported; awaiting the suite keeps
    // this process on one file at a time.
    await describe(file, async () => { await import(pathToFileURL(join(distRoot, file)).href) })
  }
}
