// `warden doctor` against a real database: all good with the right secret; the stored keys refuse a wrong one.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { runWarden } from '../support/processes.js'
import { startTestWarden, TEST_SYSTEM_SECRET } from '../support/warden.js'

test('warden doctor: database, migrations and keys; a wrong secrets.system is an error naming the key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-doctor-'))
  try {
    const dsn = `sqlite://${join(dir, 'warden.sqlite')}?_fk=true`
    await (await startTestWarden({ dsn })).close()
    const env = { DSN: dsn, URLS_SELF_ISSUER: 'https://auth.example.com/', SERVE_TLS_ALLOW_TERMINATION_FROM: '127.0.0.1/32', URLS_LOGIN: 'https://login.example.com/login', URLS_CONSENT: 'https://login.example.com/consent' }
    const good = await runWarden(['doctor'], { env: { ...env, SECRETS_SYSTEM: TEST_SYSTEM_SECRET } })
    assert.equal(good.code, 0, good.stdout + good.stderr)
    assert.match(good.stdout, /✔ database reachable \(sqlite\)\n✔ migrations: all applied\n✔ \d+ stored JSON Web Key\(s\) open with secrets.system/)
    assert.match(good.stdout, /token +https:\/\/auth\.example\.com\/oauth2\/token/)
    const bad = await runWarden(['doctor'], { env: { ...env, SECRETS_SYSTEM: 'a-different-secret-of-32-chars!!' } })
    assert.equal(bad.code, 1)
    assert.match(bad.stdout, /✖ JSON Web Key .* cannot be decrypted[^\n]*\n {4}→ change: secrets\.system/)
    assert.match(bad.stderr, /^warden doctor found 1 problem\(s\)/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
