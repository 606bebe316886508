// Runs every *.test.js under dist/src and dist/test in this one process (architecture.md, "Speed"), each file as a
// suite named by its path; TEST_ONLY (a regular expression on that path) filters. scripts/test.ts runs several of
// these processes side by side on one shared queue of files (test/support/test-queue.ts).
import { runTestFiles } from './support/test-queue.js'

await runTestFiles()
