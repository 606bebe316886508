// TLS material: loading PEM from files and base64, reload on change, and the shared self-signed certificate.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { memoryTlsCertificateStore } from '../../test/support/start-servers.js'
import { Sealer, SecretMismatchError } from '../keys/sealing.js'
import { TLS_KEY_SEALING_CONTEXT, ensureSelfSignedTls, generateSelfSignedTls, loadTlsMaterial, selfSignedHostnames, watchTlsFiles } from './tls.js'

const silent = pino({ level: 'silent' })
const secret = 'a-system-secret-of-32-characters!'

describe('loading certificate files', () => {
  test('reads a pair from paths or base64 and rejects bad input naming the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warden-tls-'))
    try {
      const pair = await generateSelfSignedTls({ hostnames: ['warden.test'] })
      await writeFile(join(dir, 'tls.crt'), pair.cert)
      await writeFile(join(dir, 'tls.key'), pair.key)
      const fromFiles = await loadTlsMaterial({ cert: { key: 'serve.tls.cert', path: join(dir, 'tls.crt') }, key: { key: 'serve.tls.key', path: join(dir, 'tls.key') } })
      assert.equal(fromFiles.cert, pair.cert)
      const fromBase64 = await loadTlsMaterial({
        cert: { key: 'serve.tls.cert', base64: Buffer.from(pair.cert).toString('base64') },
        key: { key: 'serve.tls.key', base64: Buffer.from(pair.key).toString('base64') }
      })
      assert.equal(fromBase64.key, pair.key)
      await assert.rejects(loadTlsMaterial({ cert: { key: 'serve.public.tls.cert', path: join(dir, 'missing.crt') }, key: { key: 'serve.tls.key', path: join(dir, 'tls.key') } }), /serve\.public\.tls\.cert\.path/)
      await assert.rejects(loadTlsMaterial({ cert: { key: 'serve.tls.cert', base64: 'bm90IGEgcGVt' }, key: { key: 'serve.tls.key', path: join(dir, 'tls.key') } }), /serve\.tls\.cert\.base64/)
      const other = await generateSelfSignedTls({ hostnames: [] })
      await writeFile(join(dir, 'other.key'), other.key)
      await assert.rejects(loadTlsMaterial({ cert: { key: 'serve.tls.cert', path: join(dir, 'tls.crt') }, key: { key: 'serve.tls.key', path: join(dir, 'other.key') } }), /not a usable pair/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('a changed file is reloaded; a broken one keeps the old material', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warden-tls-'))
    const files = { cert: { key: 'serve.tls.cert', path: join(dir, 'tls.crt') }, key: { key: 'serve.tls.key', path: join(dir, 'tls.key') } }
    const first = await generateSelfSignedTls({ hostnames: [] })
    await writeFile(files.cert.path, first.cert)
    await writeFile(files.key.path, first.key)
    const errors: string[] = []
    const logger = pino({ level: 'error' }, { write: (line: string) => { errors.push(line) } })
    let resolveReload: (cert: string) => void = () => undefined
    let reloaded = new Promise<string>((resolve) => { resolveReload = resolve })
    const watcher = watchTlsFiles(files, (material) => resolveReload(material.cert), { logger, intervalMs: 20 })
    // The watcher does not keep the process alive (a server does in production); this test has no server.
    const keepAlive = setInterval(() => undefined, 1000)
    try {
      const second = await generateSelfSignedTls({ hostnames: [] })
      await writeFile(files.key.path, second.key)
      await writeFile(files.cert.path, second.cert)
      assert.equal(await reloaded, second.cert)
      reloaded = new Promise<string>((resolve) => { resolveReload = resolve })
      await writeFile(files.cert.path, 'garbage')
      await new Promise<void>((resolve) => { const poll = setInterval(() => { if (errors.length > 0) { clearInterval(poll); resolve() } }, 10) })
      assert.match(errors[0] ?? '', /previous one/)
    } finally {
      clearInterval(keepAlive)
      watcher.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('self-signed certificate', () => {
  test('is generated once, stored with a sealed key, and served identically afterwards', async () => {
    const store = memoryTlsCertificateStore()
    const sealer = new Sealer([secret])
    const first = await ensureSelfSignedTls({ store, sealer, hostnames: ['auth.example.com'], logger: silent })
    const second = await ensureSelfSignedTls({ store, sealer, hostnames: ['auth.example.com'], logger: silent })
    assert.equal(store.inserts, 1)
    assert.equal(second.cert, first.cert)
    assert.equal(second.key, first.key)
    const stored = await store.find()
    assert.ok(stored !== undefined)
    assert.doesNotMatch(stored.sealedPrivateKeyPem, /BEGIN/)
    assert.equal(sealer.open(stored.sealedPrivateKeyPem, 'key', TLS_KEY_SEALING_CONTEXT).toString(), first.key)
    const cert = new X509Certificate(first.cert)
    assert.ok(cert.checkPrivateKey(createPrivateKey(first.key)))
    assert.equal(cert.checkHost('auth.example.com'), 'auth.example.com')
    assert.equal(cert.checkHost('localhost'), 'localhost')
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1')
  })

  test('a replica with the wrong secrets.system cannot open the stored key', async () => {
    const store = memoryTlsCertificateStore()
    await ensureSelfSignedTls({ store, sealer: new Sealer([secret]), hostnames: [], logger: silent })
    await assert.rejects(ensureSelfSignedTls({ store, sealer: new Sealer(['another-secret-of-32-characters!!']), hostnames: [], logger: silent }), SecretMismatchError)
  })

  test('host names come from the self URLs', () => {
    assert.deepEqual(selfSignedHostnames(['https://auth.example.com/', undefined, 'http://[::1]:4445/', 'https://auth.example.com:8443/x']), ['auth.example.com', '::1'])
  })
})
