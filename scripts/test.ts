// `npm test` after the build: dist/test/all.test.js in several processes side by side, one spec report and summary.
//
// The processes share one queue of test files (test/support/test-queue.ts): each takes the next file when it has
// finished the last, so the files that wait on `warden` child processes overlap with each other and with the
// in-process files. TEST_ONLY (a regular expression on paths under dist/) still filters; TEST_CONCURRENCY sets the
// number of processes (default: the number of CPUs, at least 2).
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { run } from 'node:test'
import { spec } from 'node:test/reporters'
import { fileURLToPath } from 'node:url'

const ALL_TESTS = fileURLToPath(new URL('../test/all.test.js', import.meta.url))

function concurrency (): number {
  const configured = process.env.TEST_CONCURRENCY
  if (configured === undefined || configured === '') return Math.max(2, availableParallelism())
  const count = Number(configured)
  if (!Number.isInteger(count) || count < 1) throw new Error(`TEST_CONCURRENCY must be a whole number ≥ 1, got "${configured}"`)
  return count
}

const processes = concurrency()
const queue = mkdtempSync(join(tmpdir(), 'warden-test-queue-'))
process.env.WARDEN_TEST_QUEUE = queue
process.once('exit', () => { rmSync(queue, { recursive: true, force: true }) })
// Ctrl-C reaches the test processes too; this one only has to remove the queue on its way out.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { process.exit(128 + (signal === 'SIGINT' ? 2 : 15)) })

// The same file once per process: each one's position in the queue, not its path, decides what it runs.
const stream = run({ files: Array.from({ length: processes }, () => ALL_TESTS), concurrency: processes })
stream.on('test:fail', (event) => {
  if (event.todo === undefined || event.todo === false) process.exitCode = 1
})
stream.compose(new spec()).pipe(process.stdout)
