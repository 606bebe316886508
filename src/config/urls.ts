// The absolute URLs of this server and of the UI pages, with Hydra's defaults (fallback pages under the public URL).
import { isIP } from 'node:net'
import type { Config } from './schema.js'

export interface SelfUrls {
  /** `iss` of every token, exactly as configured. */
  issuer: string
  /** Base of the public endpoints; always ends with '/'. */
  public: string
  /** Base of the admin API; always ends with '/'. */
  admin: string
  login: string
  consent: string
  logout: string
  error: string
  postLogoutRedirect: string
  registration: string
  deviceVerification: string
  deviceSuccess: string
}

type ListenerName = 'public' | 'admin'

/** Appends a path to a base URL with exactly one '/' between them, keeping any path prefix of the base. */
export function joinUrl (base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
}

function withTrailingSlash (url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}

export function isListenerTls (config: Readonly<Config>, listener: ListenerName): boolean {
  return (config.serve[listener].tls?.enabled ?? config.serve.tls.enabled) === true
}

/**
 * `http(s)://<host>:<port>/` of a listener. Listening on all interfaces (or on a UNIX socket) gives no
 * usable host name, so 127.0.0.1 stands in, as Hydra does.
 */
export function listenerUrl (config: Readonly<Config>, listener: ListenerName): string {
  const { host, port, base_url: baseUrl } = config.serve[listener]
  if (baseUrl !== undefined) return withTrailingSlash(baseUrl)
  const isWildcard = host === '' || host === '0.0.0.0' || host === '::' || host.startsWith('unix:')
  const name = isWildcard ? '127.0.0.1' : isIP(host) === 6 ? `[${host}]` : host
  return `${isListenerTls(config, listener) ? 'https' : 'http'}://${name}:${port}/`
}

export function selfUrls (config: Readonly<Config>): SelfUrls {
  const { urls } = config
  const issuer = urls.self.issuer ?? listenerUrl(config, 'public')
  const publicUrl = withTrailingSlash(urls.self.public ?? issuer)
  const fallback = (page: string): string => joinUrl(publicUrl, `oauth2/fallbacks/${page}`)
  const login = urls.login ?? fallback('login')
  return {
    issuer,
    public: publicUrl,
    admin: withTrailingSlash(urls.self.admin ?? listenerUrl(config, 'admin')),
    login,
    consent: urls.consent ?? fallback('consent'),
    logout: urls.logout ?? fallback('logout'),
    error: urls.error ?? fallback('error'),
    postLogoutRedirect: urls.post_logout_redirect ?? fallback('logout/callback'),
    registration: urls.registration ?? login,
    deviceVerification: urls.device.verification ?? fallback('device'),
    deviceSuccess: urls.device.success ?? fallback('device/done')
  }
}
