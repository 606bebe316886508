// `warden serve all --dev` and its bundled login UI at the process level: a taken UI port is one clear line.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { runWarden } from '../support/processes.js'
import { freePort, seededSqliteDsn, TEST_SYSTEM_SECRET } from '../support/warden.js'

test('serve all --dev with serve.ui.port taken: exits 1 naming the port, the key, SERVE_UI_PORT and --no-ui; no stack', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-ui-port-'))
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  const uiPort = (blocker.address() as { port: number }).port
  try {
    const result = await runWarden(['serve', 'all', '--dev'], {
      cwd: dir,
      // A database whose first start is done: the UI port is bound after the database is prepared, and key
      // generation (seconds of CPU) is not what this test is about.
      env: { DSN: await seededSqliteDsn(join(dir, 'db.sqlite')), SECRETS_SYSTEM: TEST_SYSTEM_SECRET, SERVE_PUBLIC_PORT: String(await freePort()), SERVE_ADMIN_PORT: String(await freePort()), SERVE_UI_PORT: String(uiPort) }
    })
    assert.equal(result.code, 1)
    const lastLine = result.stderr.trim().split('\n').at(-1) ?? ''
    assert.match(lastLine, new RegExp(`^Warden could not start: port ${uiPort} for the bundled login UI \\(serve\\.ui\\.port\\) is already in use`))
    assert.match(lastLine, /SERVE_UI_PORT=3001 .*--no-ui\.$/)
    assert.doesNotMatch(result.stderr, /\n\s+at /)
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()))
    rmSync(dir, { recursive: true, force: true })
  }
})
