// Checks the DER encoder and that generated certificates parse, verify and work for a real TLS handshake.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate, generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:https'
import { connect, type TLSSocket } from 'node:tls'
import type { AddressInfo } from 'node:net'
import { createSelfSignedCertificate, der, ipAddressBytes } from './x509.js'

const day = 24 * 3600 * 1000

describe('der', () => {
  test('encodes lengths in short and long form', () => {
    assert.deepEqual(der.octetString(Buffer.alloc(3)).subarray(0, 2), Buffer.from([0x04, 0x03]))
    assert.deepEqual(der.octetString(Buffer.alloc(200)).subarray(0, 3), Buffer.from([0x04, 0x81, 200]))
    assert.deepEqual(der.octetString(Buffer.alloc(300)).subarray(0, 4), Buffer.from([0x04, 0x82, 0x01, 0x2c]))
  })

  test('encodes integers minimally and positive', () => {
    assert.deepEqual(der.smallInteger(0), Buffer.from([0x02, 0x01, 0x00]))
    assert.deepEqual(der.smallInteger(128), Buffer.from([0x02, 0x02, 0x00, 0x80]))
    assert.deepEqual(der.unsignedInteger(Buffer.from([0, 0, 1])), Buffer.from([0x02, 0x01, 0x01]))
  })

  test('encodes object identifiers', () => {
    // 1.2.840.113549 → 2a 86 48 86 f7 0d (X.690 example)
    assert.deepEqual(der.objectIdentifier('1.2.840.113549'), Buffer.from([0x06, 0x06, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]))
  })

  test('switches from UTCTime to GeneralizedTime in 2050', () => {
    assert.equal(der.time(new Date('2049-12-31T23:59:59Z'))[0], 0x17)
    assert.equal(der.time(new Date('2050-01-01T00:00:00Z'))[0], 0x18)
    assert.equal(der.time(new Date('2030-02-03T04:05:06Z')).subarray(2).toString('ascii'), '300203040506Z')
  })

  test('turns IP addresses into bytes', () => {
    assert.deepEqual(ipAddressBytes('127.0.0.1'), Buffer.from([127, 0, 0, 1]))
    assert.deepEqual(ipAddressBytes('::1'), Buffer.from([...new Array(15).fill(0), 1]))
    assert.equal(ipAddressBytes('2001:db8::8:800:200c:417a').toString('hex'), '20010db8000000000008080020 0c417a'.replace(' ', ''))
    assert.equal(ipAddressBytes('::ffff:10.0.0.1').toString('hex'), '00000000000000000000ffff0a000001')
  })
})

for (const type of ['ec', 'rsa'] as const) {
  test(`a self-signed ${type} certificate parses, verifies and serves TLS`, async () => {
    const { privateKey, publicKey } = type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 })
    const now = Date.now()
    const pem = createSelfSignedCertificate({
      privateKey,
      publicKey,
      commonName: 'warden.example',
      dnsNames: ['localhost', 'warden.example'],
      ipAddresses: ['127.0.0.1', '::1'],
      notBefore: new Date(now - day),
      notAfter: new Date(now + 30 * day)
    })
    const cert = new X509Certificate(pem)
    assert.equal(cert.subject, 'CN=warden.example')
    assert.equal(cert.issuer, 'CN=warden.example')
    assert.ok(cert.verify(publicKey))
    assert.ok(cert.checkPrivateKey(privateKey))
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/)
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/)
    assert.equal(cert.checkHost('warden.example'), 'warden.example')
    assert.equal(cert.checkIP('::1'), '::1')

    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const server = createServer({ cert: pem, key: keyPem }, (_req, res) => res.end('ok'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const port = (server.address() as AddressInfo).port
      const socket = await new Promise<TLSSocket>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pem }, () => resolve(s))
        s.once('error', reject)
      })
      assert.equal(socket.authorized, true)
      socket.destroy()
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
}
