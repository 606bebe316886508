// The login session cookie and the per-client login/consent CSRF cookies (hydra-api.md §3.9, §9.2).
import { timingSafeEqual } from 'node:crypto'
import { requestForbidden } from '../errors/catalogue.js'
import type { OAuth2Error } from '../errors/oauth2-error.js'
import { murmur3Hash32 } from '../lib/murmur3.js'
import type { ValueSealer } from './flow-codec.js'

export interface CookieSettings {
  isDev: boolean
  /** serve.cookies.secure: only consulted in dev mode; outside dev cookies are always Secure. */
  isSecureInDev: boolean
  sameSite: 'Strict' | 'Lax' | 'None'
  isLegacyWorkaround: boolean
  domain: string | undefined
  sessionPath: string
  names: { session: string, loginCsrf: string, consentCsrf: string }
  /** The configured issuer, for SameSite downgrades and the CSRF troubleshooting text. */
  issuer: string
}

export type CsrfKind = 'login' | 'consent'

/** Cookie header → name/value map (first occurrence wins, as browsers send the most specific path first). */
export function parseCookieHeader (header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const part of (header ?? '').split(';')) {
    const equals = part.indexOf('=')
    if (equals <= 0) continue
    const name = part.slice(0, equals).trim()
    if (!cookies.has(name)) cookies.set(name, part.slice(equals + 1).trim())
  }
  return cookies
}

const equalText = (a: string, b: string): boolean => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export class FlowCookies {
  private readonly settings: CookieSettings
  private readonly sealer: ValueSealer
  private readonly isHttpsIssuer: boolean

  /** `sealer` is keyed by secrets.cookie (falling back to secrets.system). */
  constructor (settings: CookieSettings, sealer: ValueSealer) {
    this.settings = settings
    this.sealer = sealer
    this.isHttpsIssuer = settings.issuer.startsWith('https:')
  }

  private suffixed (name: string): string {
    return this.settings.isDev ? `${name}_dev` : name
  }

  get sessionName (): string { return this.suffixed(this.settings.names.session) }

  /** `ory_hydra_login_csrf[_dev]_<murmur3 of the client id>`: one cookie per client, so parallel flows coexist. */
  csrfName (kind: CsrfKind, clientId: string): string {
    const base = kind === 'login' ? this.settings.names.loginCsrf : this.settings.names.consentCsrf
    return `${this.suffixed(base)}_${murmur3Hash32(clientId)}`
  }

  private attributes (path: string, maxAgeSeconds: number, sameSite: string | undefined): string {
    const { settings } = this
    const isSecure = settings.isDev ? settings.isSecureInDev : true
    const parts = [`Path=${path}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly']
    if (maxAgeSeconds > 0) parts.push(`Expires=${new Date(Date.now() + maxAgeSeconds * 1000).toUTCString()}`)
    if (settings.domain !== undefined && settings.domain !== '') parts.push(`Domain=${settings.domain}`)
    if (isSecure) parts.push('Secure')
    if (sameSite !== undefined) parts.push(`SameSite=${sameSite}`)
    return parts.join('; ')
  }

  // Browsers drop SameSite=None cookies that are not Secure, so on a plain-http issuer None becomes Lax.
  private get sameSite (): string {
    return this.settings.sameSite === 'None' && !this.isHttpsIssuer ? 'Lax' : this.settings.sameSite
  }

  /** serve.cookies.same_site_legacy_workaround applies only when SameSite=None is really sent (https issuer). */
  private get hasLegacyCopies (): boolean {
    return this.settings.isLegacyWorkaround && this.sameSite === 'None'
  }

  private write (name: string, payload: object, path: string, maxAgeSeconds: number): string {
    const value = this.sealer.seal(JSON.stringify(payload), `cookie:${name}`)
    return `${name}=${value}; ${this.attributes(path, maxAgeSeconds, this.sameSite)}`
  }

  private read<T> (cookies: Map<string, string>, name: string): T | undefined {
    const raw = cookies.get(name)
    if (raw === undefined) return undefined
    const opened = this.sealer.tryOpen(raw, `cookie:${name}`)
    if (opened === undefined) return undefined
    try { return JSON.parse(opened.toString('utf8')) as T } catch { return undefined }
  }

  sessionCookie (sid: string, maxAgeSeconds: number): string {
    return this.write(this.sessionName, { sid }, this.settings.sessionPath, maxAgeSeconds)
  }

  clearSessionCookie (): string {
    return `${this.sessionName}=; ${this.attributes(this.settings.sessionPath, -1, this.sameSite)}`
  }

  sessionId (cookies: Map<string, string>): string | undefined {
    const payload = this.read<{ sid?: unknown }>(cookies, this.sessionName)
    return typeof payload?.sid === 'string' && payload.sid !== '' ? payload.sid : undefined
  }

  /** The CSRF cookie(s) to set: with the legacy workaround a copy without SameSite is written as `<name>_legacy`. */
  csrfCookies (kind: CsrfKind, clientId: string, csrf: string, maxAgeSeconds: number): string[] {
    const name = this.csrfName(kind, clientId)
    const cookies = [this.write(name, { csrf }, '/', maxAgeSeconds)]
    if (this.hasLegacyCopies) {
      const legacy = `${name}_legacy`
      cookies.push(`${legacy}=${this.sealer.seal(JSON.stringify({ csrf }), `cookie:${legacy}`)}; ${this.attributes('/', maxAgeSeconds, undefined)}`)
    }
    return cookies
  }

  /** Throws request_forbidden (403) unless the browser holds this client's CSRF cookie with `expected` in it. */
  assertCsrf (kind: CsrfKind, clientId: string, expected: string, cookies: Map<string, string>, requestHost: string | undefined): void {
    const name = this.csrfName(kind, clientId)
    // As Hydra: the `_legacy` copy is read only while the workaround is on, and only when the main cookie is
    // missing or unreadable (browsers that ignore SameSite=None cookies send just the copy).
    const legacy = this.hasLegacyCopies ? `${name}_legacy` : undefined
    const payload = this.read<{ csrf?: unknown }>(cookies, name) ?? (legacy === undefined ? undefined : this.read<{ csrf?: unknown }>(cookies, legacy))
    if (payload === undefined) {
      if (!cookies.has(name) && (legacy === undefined || !cookies.has(legacy))) throw this.missingCookieError(kind, name, requestHost)
      throw requestForbidden('CSRF session cookie could not be decoded.')
    }
    if (typeof payload.csrf !== 'string' || payload.csrf === '') throw requestForbidden('No CSRF value available in the session cookie.')
    if (!equalText(payload.csrf, expected)) throw requestForbidden('The CSRF value from the token does not match the CSRF value from the data store.')
  }

  /**
   * Beyond Hydra: the most common first-day failure is a browser that never sends the CSRF cookie back. Say why
   * that usually happens, naming the hosts involved, instead of only "cookie missing".
   */
  private missingCookieError (kind: CsrfKind, name: string, requestHost: string | undefined): OAuth2Error {
    const issuerHost = new URL(this.settings.issuer).host
    const causes: string[] = []
    if (requestHost !== undefined && requestHost !== issuerHost) {
      causes.push(`this request was sent to host "${requestHost}" but the configured issuer is "${issuerHost}"; browsers keep cookies per host name, so "localhost" and "127.0.0.1" are different sites — use exactly the issuer's host in your app, the login and consent URLs and the redirect to /oauth2/auth`)
    }
    if (!this.settings.isDev && !this.isHttpsIssuer) {
      causes.push('the cookie is marked Secure (outside dev mode) but the issuer uses plain http, so browsers do not store it; serve over https or run with --dev')
    } else if (this.settings.sameSite === 'None' && !this.isHttpsIssuer) {
      causes.push('SameSite=None cookies are only accepted over https; over plain http Warden sends SameSite=Lax, which browsers withhold from cross-site POST navigations')
    }
    causes.push('the flow was started in another browser, tab profile or private window, or the cookie expired (ttl.login_consent_request)')
    return requestForbidden(`No CSRF value available in the session cookie: the browser did not send the ${kind} CSRF cookie "${name}". Likely causes: ${causes.join('; ')}.`)
  }
}
