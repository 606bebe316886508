// Decides, once per listener at start, whether it speaks HTTPS, plain HTTP behind a terminating proxy, or plain HTTP.
import type { HttpConfig, ListenerName, PemSourceConfig } from './http-config.js'

export type TlsMode = 'https-files' | 'https-self-signed' | 'termination' | 'plain'

export interface PemSource {
  /** Config key the value came from, for error messages (`serve.tls.cert`). */
  key: string
  path?: string
  base64?: string
}

export interface TlsDecision {
  mode: TlsMode
  /** One line for the startup log saying why. */
  reason: string
  /** True when the reason should be logged as a warning. */
  isWarning: boolean
  /** Set for 'https-files'. */
  files?: { cert: PemSource, key: PemSource }
  /** CIDRs of trusted TLS-terminating proxies; non-empty only for 'termination'. */
  trustedProxies: readonly string[]
}

export interface TlsDecisionContext {
  forceHttp: boolean
  isUnixSocket: boolean
}

export function isUnixSocketHost (host: string): boolean {
  return host.startsWith('unix:')
}

function isConfigured (source: PemSourceConfig | undefined): boolean {
  return (source?.path ?? '') !== '' || (source?.base64 ?? '') !== ''
}

/** `serve.<listener>.tls.<name>` when the listener sets it, else `serve.tls.<name>` (each key on its own). */
function pemSource (config: HttpConfig, listener: ListenerName, name: 'cert' | 'key'): PemSource | undefined {
  const own = config.serve[listener].tls?.[name]
  const [source, key] = isConfigured(own) ? [own, `serve.${listener}.tls.${name}`] : [config.serve.tls[name], `serve.tls.${name}`]
  if (source === undefined || !isConfigured(source)) return undefined
  const out: PemSource = { key }
  if ((source.path ?? '') !== '') out.path = source.path as string
  else out.base64 = source.base64 as string
  return out
}

export function trustedProxiesFor (config: HttpConfig, listener: ListenerName): readonly string[] {
  return config.serve[listener].tls?.allow_termination_from ?? config.serve.tls.allow_termination_from ?? []
}

function tlsEnabledFor (config: HttpConfig, listener: ListenerName): { value: boolean | undefined, key: string } {
  const own = config.serve[listener].tls?.enabled
  return own === undefined
    ? { value: config.serve.tls.enabled, key: 'serve.tls.enabled' }
    : { value: own, key: `serve.${listener}.tls.enabled` }
}

/**
 * Order: UNIX socket → plain; `enabled: false` → plain; cert + key → HTTPS from them; termination CIDRs → plain
 * HTTP guarded by the proxy check; --dangerous-force-http or dev → plain; otherwise HTTPS with a self-signed
 * certificate shared through the database. Throws when only one of cert and key is configured.
 */
export function decideTlsMode (config: HttpConfig, listener: ListenerName, context: TlsDecisionContext): TlsDecision {
  const plain = (reason: string, isWarning: boolean): TlsDecision => ({ mode: 'plain', reason, isWarning, trustedProxies: [] })
  if (context.isUnixSocket) return plain('UNIX sockets are served without TLS', false)

  const enabled = tlsEnabledFor(config, listener)
  if (enabled.value === false) {
    return plain(`${enabled.key} is false: serving plain HTTP; a proxy in front must provide HTTPS`, true)
  }

  const cert = pemSource(config, listener, 'cert')
  const key = pemSource(config, listener, 'key')
  if (cert !== undefined && key !== undefined) {
    return { mode: 'https-files', reason: `serving HTTPS with the certificate from ${cert.key}`, isWarning: false, files: { cert, key }, trustedProxies: [] }
  }
  if (cert !== undefined || key !== undefined) {
    const missing = cert === undefined ? 'cert' : 'key'
    throw new Error(`serve.${listener}.tls.${missing}: a TLS ${cert === undefined ? 'private key' : 'certificate'} is configured but no ${missing === 'cert' ? 'certificate' : 'private key'} (set serve.tls.${missing} or serve.${listener}.tls.${missing})`)
  }

  const trustedProxies = trustedProxiesFor(config, listener)
  if (trustedProxies.length > 0) {
    return {
      mode: 'termination',
      reason: `serving plain HTTP to TLS-terminating proxies in ${trustedProxies.join(', ')} (X-Forwarded-Proto: https required)`,
      isWarning: false,
      trustedProxies
    }
  }
  if (context.forceHttp) return plain('--dangerous-force-http is set: serving plain HTTP; never do this in production', true)
  if (config.dev) return plain('dev mode: serving plain HTTP; never use dev mode in production', true)
  return {
    mode: 'https-self-signed',
    reason: 'no TLS certificate is configured: serving HTTPS with a SELF-SIGNED certificate; configure serve.tls.cert and serve.tls.key, or serve.tls.allow_termination_from behind a proxy',
    isWarning: true,
    trustedProxies: []
  }
}
