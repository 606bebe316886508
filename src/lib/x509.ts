// A minimal DER encoder and self-signed X.509 v3 certificate builder (RFC 5280), enough for a TLS server cert.
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto'
import { isIP } from 'node:net'

// --- DER primitives (X.690) -------------------------------------------------------------------------------

function encodeLength (length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function tlv (tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content])
}

export const der = {
  sequence: (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items)),
  set: (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items)),
  boolean: (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00])),
  null: (): Buffer => Buffer.from([0x05, 0x00]),
  octetString: (bytes: Buffer): Buffer => tlv(0x04, bytes),
  utf8String: (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8')),
  /** BIT STRING with `unusedBits` padding bits in the last byte. */
  bitString: (bytes: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes])),
  /** Context-specific constructed tag [n] EXPLICIT. */
  explicit: (tagNumber: number, content: Buffer): Buffer => tlv(0xa0 | tagNumber, content),
  /** Context-specific primitive tag [n] IMPLICIT. */
  implicit: (tagNumber: number, content: Buffer): Buffer => tlv(0x80 | tagNumber, content),

  /** INTEGER from unsigned big-endian bytes: minimal, with a 0x00 prefix when the high bit is set. */
  unsignedInteger (bytes: Buffer): Buffer {
    let start = 0
    while (start < bytes.length - 1 && bytes[start] === 0) start++
    const trimmed = bytes.subarray(start)
    const needsPad = ((trimmed[0] ?? 0) & 0x80) !== 0
    return tlv(0x02, needsPad ? Buffer.concat([Buffer.from([0]), trimmed]) : Buffer.from(trimmed))
  },

  smallInteger (value: number): Buffer {
    if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) throw new RangeError(`unsupported integer ${value}`)
    const bytes: number[] = []
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff)
    return der.unsignedInteger(Buffer.from(bytes.length === 0 ? [0] : bytes))
  },

  objectIdentifier (dotted: string): Buffer {
    const arcs = dotted.split('.').map(Number)
    const [first = 0, second = 0, ...rest] = arcs
    const body: number[] = [first * 40 + second]
    for (const arc of rest) {
      const chunk: number[] = [arc & 0x7f]
      for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) chunk.unshift((value & 0x7f) | 0x80)
      body.push(...chunk)
    }
    return tlv(0x06, Buffer.from(body))
  },

  /** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
  time (date: Date): Buffer {
    const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
    const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}` +
      `${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
    const year = date.getUTCFullYear()
    return year < 2050
      ? tlv(0x17, Buffer.from(`${pad(year % 100)}${rest}`, 'ascii'))
      : tlv(0x18, Buffer.from(`${pad(year, 4)}${rest}`, 'ascii'))
  }
}

// --- certificate ---------------------------------------------------------------------------------------------

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ed25519: '1.3.101.112',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1'
}

/** IPv4 or IPv6 text → 4 or 16 network-order bytes, for the SAN iPAddress form. */
export function ipAddressBytes (address: string): Buffer {
  const family = isIP(address)
  if (family === 4) return Buffer.from(address.split('.').map(Number))
  if (family !== 6) throw new Error(`"${address}" is not an IP address`)
  let text = address.split('%')[0] ?? ''
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (v4 !== null) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const headGroups = head === '' ? [] : head.split(':')
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':')
  const zeros = new Array<string>(8 - headGroups.length - tailGroups.length).fill('0')
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups]
  const out = Buffer.alloc(16)
  groups.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2))
  return out
}

function signatureAlgorithm (privateKey: KeyObject): { identifier: Buffer, digest: string | null } {
  switch (privateKey.asymmetricKeyType) {
    case 'ec': return { identifier: der.sequence(der.objectIdentifier(OID.ecdsaWithSha256)), digest: 'sha256' }
    case 'rsa': return { identifier: der.sequence(der.objectIdentifier(OID.sha256WithRsa), der.null()), digest: 'sha256' }
    case 'ed25519': return { identifier: der.sequence(der.objectIdentifier(OID.ed25519)), digest: null }
    default: throw new Error(`unsupported key type ${String(privateKey.asymmetricKeyType)} for a certificate`)
  }
}

function extension (oid: string, isCritical: boolean, value: Buffer): Buffer {
  return der.sequence(der.objectIdentifier(oid), ...(isCritical ? [der.boolean(true)] : []), der.octetString(value))
}

export interface SelfSignedCertificateOptions {
  privateKey: KeyObject
  publicKey: KeyObject
  commonName: string
  dnsNames: readonly string[]
  ipAddresses: readonly string[]
  notBefore: Date
  notAfter: Date
  /** Positive serial; 16 random bytes when omitted. */
  serialNumber?: Buffer
}

/** Builds and signs a self-signed TLS server certificate; returns it as PEM. */
export function createSelfSignedCertificate (options: SelfSignedCertificateOptions): string {
  const spki = options.publicKey.export({ type: 'spki', format: 'der' })
  const serial = options.serialNumber ?? randomBytes(16)
  if (options.serialNumber === undefined) serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40
  const name = der.sequence(der.set(der.sequence(der.objectIdentifier(OID.commonName), der.utf8String(options.commonName))))
  const algorithm = signatureAlgorithm(options.privateKey)
  const isRsa = options.privateKey.asymmetricKeyType === 'rsa'
  const altNames = [
    ...options.dnsNames.map((dns) => der.implicit(2, Buffer.from(dns, 'ascii'))),
    ...options.ipAddresses.map((ip) => der.implicit(7, ipAddressBytes(ip)))
  ]
  const extensions = [
    // A self-signed certificate is its own trust anchor, so it is marked as a CA able to sign itself.
    extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
    // digitalSignature(0) + keyCertSign(5), plus keyEncipherment(2) for RSA key exchange.
    extension(OID.keyUsage, true, der.bitString(Buffer.from([isRsa ? 0xa4 : 0x84]), 2)),
    extension(OID.extKeyUsage, false, der.sequence(der.objectIdentifier(OID.serverAuth))),
    extension(OID.subjectKeyIdentifier, false, der.octetString(createHash('sha1').update(spki).digest())),
    ...(altNames.length > 0 ? [extension(OID.subjectAltName, false, der.sequence(...altNames))] : [])
  ]
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)), // v3
    der.unsignedInteger(serial),
    algorithm.identifier,
    name,
    der.sequence(der.time(options.notBefore), der.time(options.notAfter)),
    name,
    spki,
    der.explicit(3, der.sequence(...extensions))
  )
  const signature = sign(algorithm.digest, tbs, options.privateKey)
  const certificate = der.sequence(tbs, algorithm.identifier, der.bitString(signature))
  const body = certificate.toString('base64').replace(/.{1,64}/g, '$&\n')
  return `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`
}
