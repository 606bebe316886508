// Real listeners on port 0 in every TLS mode: plain, HTTPS from files (with reload), self-signed, termination.
import { after, test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSelfSignedTls } from '../../src/app/tls.js'
import { Sealer } from '../../src/keys/sealing.js'
import { openDatabase, type SqlDatabase } from '../../src/persistence/sql/db.js'
import { migrateUp } from '../../src/persistence/sql/migrator.js'
import { SqlTlsCertificateStore } from '../../src/persistence/sql/tls-certificate.sql.js'
import { testDialects } from '../support/databases.js'
import { memoryTlsCertificateStore, startTestServers } from '../support/start-servers.js'
import { rawRequest } from '../support/raw-request.js'

const INSECURE = { error: 'can not serve request over insecure http', error_description: '' }

test('plain HTTP under --dangerous-force-http', async () => {
  const servers = await startTestServers({ forceHttp: true })
  try {
    assert.equal(servers.servers.public?.mode, 'plain')
    assert.match(servers.publicUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.equal((await rawRequest(`${servers.publicUrl}/health/alive`)).status, 200)
    assert.equal((await rawRequest(`${servers.adminUrl}/version`)).body, '{"version":"v0.0.0-test"}')
    assert.ok(servers.logLines.some((line) => line.includes('dangerous-force-http') && line.includes('"warn"')))
  } finally {
    await servers.close()
  }
})

test('HTTPS from certificate files, reloaded when the files change', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'warden-listeners-'))
  const certPath = join(dir, 'tls.crt')
  const keyPath = join(dir, 'tls.key')
  const first = await generateSelfSignedTls({ hostnames: [] })
  await writeFile(certPath, first.cert)
  await writeFile(keyPath, first.key)
  const servers = await startTestServers({
    forceHttp: true, // configured files win over --dangerous-force-http
    config: { serve: { tls: { cert: { path: certPath }, key: { path: keyPath } } } },
    tlsReloadIntervalMs: 20
  })
  try {
    assert.equal(servers.servers.public?.mode, 'https-files')
    assert.match(servers.publicUrl, /^https:/)
    const before = await rawRequest(`${servers.publicUrl}/health/ready`, { ca: first.cert })
    assert.equal(before.status, 200)
    assert.equal(before.fingerprint256, new X509Certificate(first.cert).fingerprint256)
    assert.equal((await rawRequest(`${servers.adminUrl}/admin/version`, { ca: first.cert })).status, 200)

    // A different subject, so the client's trust store can tell the two certificates apart.
    const second = await generateSelfSignedTls({ hostnames: ['reloaded.test'] })
    await writeFile(keyPath, second.key)
    await writeFile(certPath, second.cert)
    const expected = new X509Certificate(second.cert).fingerprint256
    // Poll until the watcher has swapped the secure context (bounded, no fixed sleep).
    let seen: string | undefined
    for (let attempt = 0; attempt < 500 && seen !== expected; attempt++) {
      seen = (await rawRequest(`${servers.publicUrl}/health/alive`, { ca: [first.cert, second.cert] })).fingerprint256
      if (seen !== expected) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    assert.equal(seen, expected)
  } finally {
    await servers.close()
    await rm(dir, { recursive: true, force: true })
  }
})

test('the self-signed certificate is shared by both listeners and by later starts with the same store', async () => {
  const store = memoryTlsCertificateStore()
  const sealer = new Sealer(['a-system-secret-of-32-characters!'])
  const fingerprints: string[] = []
  for (let start = 0; start < 2; start++) {
    const servers = await startTestServers({ forceHttp: false, tlsCertificates: store, sealer })
    try {
      assert.equal(servers.servers.admin?.mode, 'https-self-signed')
      const cert = (await store.find())?.certificatePem as string
      for (const url of [`${servers.publicUrl}/health/alive`, `${servers.adminUrl}/health/alive`]) {
        const res = await rawRequest(url, { ca: cert })
        assert.equal(res.status, 200)
        fingerprints.push(res.fingerprint256 as string)
      }
      assert.ok(servers.logLines.some((line) => line.includes('SELF-SIGNED')))
    } finally {
      await servers.close()
    }
  }
  assert.equal(store.inserts, 1)
  assert.equal(new Set(fingerprints).size, 1)
})

for (const entry of testDialects()) {
  describe(`self-signed certificate stored in ${entry.dialect}`, () => {
    after(async () => { await entry.dropFreshDatabases() })

    test('two replicas on one database serve the same certificate', async () => {
      const dsn = await entry.createFreshDsn()
      const first = await openMigratedDatabaseAt(dsn)
      const second = openDatabase(dsn)
      try {
        await second.connect({ giveUpAfterMs: 10_000 })
        const sealer = new Sealer(['a-system-secret-of-32-characters!'])
        const fingerprints: string[] = []
        for (const database of [first, second]) {
          const servers = await startTestServers({ forceHttp: false, which: 'public', tlsCertificates: new SqlTlsCertificateStore(database), sealer })
          try {
            const cert = (await new SqlTlsCertificateStore(database).find())?.certificatePem as string
            fingerprints.push((await rawRequest(`${servers.publicUrl}/health/alive`, { ca: cert })).fingerprint256 as string)
          } finally {
            await servers.close()
          }
        }
        assert.equal(fingerprints.length, 2)
        assert.equal(fingerprints[0], fingerprints[1])
      } finally {
        await second.close()
        await first.close()
      }
    })
  })
}

async function openMigratedDatabaseAt (dsn: string): Promise<SqlDatabase> {
  const database = openDatabase(dsn)
  await database.connect({ resolveNetwork: false, giveUpAfterMs: 10_000 })
  await migrateUp(database)
  await database.resolveNetwork()
  return database
}

test('a self-signed certificate without a store is a start error', async () => {
  await assert.rejects(startTestServers({ forceHttp: false }), /self-signed TLS certificate is needed/)
})

describe('TLS termination', () => {
  const start = async () => await startTestServers({ config: { serve: { tls: { allow_termination_from: ['127.0.0.1/32'] } } } })

  test('a trusted proxy with X-Forwarded-Proto: https is served; without the header it gets 502', async () => {
    const servers = await start()
    try {
      assert.equal(servers.servers.public?.mode, 'termination')
      assert.match(servers.adminUrl, /^http:/)
      const ok = await rawRequest(`${servers.adminUrl}/version`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } })
      assert.equal(ok.status, 200)
      const missing = await rawRequest(`${servers.adminUrl}/version`)
      assert.equal(missing.status, 502)
      assert.deepEqual(JSON.parse(missing.body), INSECURE)
      const plainProto = await rawRequest(`${servers.publicUrl}/anything`, { headers: { 'x-forwarded-proto': 'http' } })
      assert.equal(plainProto.status, 502)
    } finally {
      await servers.close()
    }
  })

  test('an untrusted source cannot forge the headers, not even by naming a trusted hop', async () => {
    const servers = await start()
    try {
      const forged = await rawRequest(`${servers.adminUrl}/version`, {
        localAddress: '127.0.0.2',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '127.0.0.1' }
      })
      assert.equal(forged.status, 502)
      assert.deepEqual(JSON.parse(forged.body), INSECURE)
    } finally {
      await servers.close()
    }
  })

  test('health and metrics are exempt on both listeners, with and without the /admin prefix', async () => {
    const servers = await start()
    try {
      const untrusted = { localAddress: '127.0.0.2' }
      for (const url of [
        `${servers.publicUrl}/health/alive`, `${servers.publicUrl}/health/ready/`,
        `${servers.adminUrl}/health/ready`, `${servers.adminUrl}/admin/health/ready`, `${servers.adminUrl}/admin/health/alive`,
        `${servers.adminUrl}/metrics/prometheus`, `${servers.adminUrl}/admin/metrics/prometheus`
      ]) {
        assert.equal((await rawRequest(url, untrusted)).status, 200, url)
      }
      assert.equal((await rawRequest(`${servers.adminUrl}/admin/version`, untrusted)).status, 502)
    } finally {
      await servers.close()
    }
  })
})
