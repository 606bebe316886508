// TLS material for the listeners: PEM from files (hot-reloaded) or base64, or a self-signed cert shared via the database.
import { generateKeyPair, X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { unwatchFile, watchFile, type Stats } from 'node:fs'
import { isIP } from 'node:net'
import { createSecureContext } from 'node:tls'
import { promisify } from 'node:util'
import type { Logger } from 'pino'
import type { Sealer } from '../keys/sealing.js'
import type { TlsCertificateStore } from '../keys/tls-certificate.store.js'
import type { PemSource } from '../http/tls-mode.js'
import { createSelfSignedCertificate } from '../lib/x509.js'

export interface TlsMaterial {
  cert: string
  key: string
}

/** Associated data binding the sealed private key to its purpose (Hydra keeps it in key set `hydra.https-tls`). */
export const TLS_KEY_SEALING_CONTEXT = 'hydra.https-tls'

const SELF_SIGNED_VALIDITY_MS = 10 * 365 * 24 * 3600 * 1000

async function readPem (source: PemSource, what: string): Promise<string> {
  let text: string
  let where: string
  if (source.path !== undefined) {
    where = `${source.key}.path`
    try {
      text = await readFile(source.path, 'utf8')
    } catch (error) {
      throw new Error(`${where}: cannot read the ${what} file ${source.path}: ${(error as Error).message}`)
    }
  } else {
    where = `${source.key}.base64`
    text = Buffer.from(source.base64 ?? '', 'base64').toString('utf8')
  }
  // An empty or half-written file must never replace working material (createSecureContext accepts an empty cert).
  if (!text.includes('-----BEGIN')) throw new Error(`${where}: does not hold a PEM ${what}`)
  return text
}

/** Reads and checks a cert/key pair; errors name the config key. */
export async function loadTlsMaterial (files: { cert: PemSource, key: PemSource }): Promise<TlsMaterial> {
  const material = { cert: await readPem(files.cert, 'certificate'), key: await readPem(files.key, 'private key') }
  try {
    const certificate = new X509Certificate(material.cert)
    if (!certificate.checkPrivateKey(createPrivateKey(material.key))) throw new Error('the private key does not belong to the certificate')
    createSecureContext(material)
  } catch (error) {
    throw new Error(`${files.cert.key} / ${files.key.key}: the certificate and private key are not a usable pair: ${(error as Error).message}`)
  }
  return material
}

export interface TlsFileWatcher {
  close(): void
}

/**
 * Polls the PEM files (polling survives the atomic symlink swaps of mounted secrets) and calls `onChange` with
 * the new material; a pair that does not load (say, half-written) is logged and the old one kept.
 */
export function watchTlsFiles (
  files: { cert: PemSource, key: PemSource },
  onChange: (material: TlsMaterial) => void,
  options: { logger: Logger, intervalMs?: number }
): TlsFileWatcher {
  const paths = [files.cert.path, files.key.path].filter((path): path is string => path !== undefined)
  let pending: Promise<void> = Promise.resolve()
  const listener = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return
    pending = pending.then(async () => {
      try {
        const material = await loadTlsMaterial(files)
        onChange(material)
        options.logger.info({ paths }, 'reloaded the TLS certificate')
      } catch (error) {
        options.logger.error({ err: error }, 'the changed TLS certificate could not be loaded; still serving the previous one')
      }
    })
  }
  for (const path of paths) watchFile(path, { interval: options.intervalMs ?? 2000, persistent: false }, listener)
  return { close: () => { for (const path of paths) unwatchFile(path, listener) } }
}

const generateKeyPairAsync = promisify(generateKeyPair)

export interface SelfSignedOptions {
  /** Host names and IPs the certificate names besides localhost, 127.0.0.1 and ::1. */
  hostnames: readonly string[]
  now?: Date
}

/** A new ECDSA P-256 key and a certificate for it (generated off the main thread). */
export async function generateSelfSignedTls (options: SelfSignedOptions): Promise<TlsMaterial> {
  const { privateKey, publicKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-256' }) as { privateKey: KeyObject, publicKey: KeyObject }
  const now = options.now ?? new Date()
  const names = new Set(['localhost', '127.0.0.1', '::1', ...options.hostnames.filter((name) => name !== '')])
  const isIpLiteral = (name: string): boolean => isIP(name) !== 0
  const cert = createSelfSignedCertificate({
    privateKey,
    publicKey,
    commonName: options.hostnames[0] ?? 'localhost',
    dnsNames: [...names].filter((name) => !isIpLiteral(name)),
    ipAddresses: [...names].filter(isIpLiteral),
    notBefore: new Date(now.getTime() - 60_000), // tolerate small clock skew between replicas and clients
    notAfter: new Date(now.getTime() + SELF_SIGNED_VALIDITY_MS)
  })
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }
}

/** Host names worth putting in the certificate: those of the configured self URLs. */
export function selfSignedHostnames (urls: readonly (string | undefined)[]): string[] {
  const out: string[] = []
  for (const url of urls) {
    if (url === undefined || url === '') continue
    try {
      out.push(new URL(url).hostname.replace(/^\[|\]$/g, ''))
    } catch { /* the config loader reports bad URLs */ }
  }
  return [...new Set(out)]
}

/**
 * The self-signed certificate every replica serves: the stored one, or a new one stored first (insertIfAbsent
 * makes racing replicas agree). The private key is sealed with secrets.system.
 */
export async function ensureSelfSignedTls (deps: {
  store: TlsCertificateStore
  sealer: Sealer
  hostnames: readonly string[]
  logger: Logger
  now?: Date
}): Promise<TlsMaterial> {
  let stored = await deps.store.find()
  if (stored === undefined) {
    const generated = await generateSelfSignedTls({ hostnames: deps.hostnames, ...(deps.now === undefined ? {} : { now: deps.now }) })
    stored = await deps.store.insertIfAbsent({
      sealedPrivateKeyPem: deps.sealer.seal(generated.key, TLS_KEY_SEALING_CONTEXT),
      certificatePem: generated.cert,
      createdAt: deps.now ?? new Date()
    })
  }
  const key = deps.sealer.open(stored.sealedPrivateKeyPem, 'The private key of the self-signed TLS certificate', TLS_KEY_SEALING_CONTEXT).toString('utf8')
  const certificate = new X509Certificate(stored.certificatePem)
  if (!certificate.checkPrivateKey(createPrivateKey(key))) throw new Error('the stored self-signed TLS certificate does not match its private key')
  if (new Date(certificate.validTo).getTime() < (deps.now ?? new Date()).getTime()) {
    deps.logger.warn({ valid_to: certificate.validTo }, 'the stored self-signed TLS certificate has expired')
  }
  deps.logger.warn({ fingerprint256: certificate.fingerprint256, subject_alt_name: certificate.subjectAltName },
    'SERVING A SELF-SIGNED TLS CERTIFICATE: clients will not trust it. Configure serve.tls.cert and serve.tls.key, or serve.tls.allow_termination_from behind a TLS-terminating proxy')
  return { cert: stored.certificatePem, key }
}
