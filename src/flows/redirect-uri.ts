// Redirect URI matching at authorize time (hydra-api.md §3.13, RFC 8252 §7.3) and the insecure-http rule.
import { isIP } from 'node:net'

export type RedirectResolution =
  | { ok: true, uri: string }
  | { ok: false, hint: string }

const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]'])

function parse (value: string): URL | undefined {
  try { return new URL(value) } catch { return undefined }
}

// RFC 8252 §7.3: native apps listen on an ephemeral port of a loopback IP literal (not the name "localhost").
function matchesLoopbackAnyPort (registered: string, requested: URL): boolean {
  const have = parse(registered)
  if (have === undefined || have.protocol !== 'http:' || requested.protocol !== 'http:') return false
  if (!LOOPBACK_IPS.has(have.hostname) || have.hostname !== requested.hostname) return false
  return have.pathname === requested.pathname && have.search === requested.search
}

/** The redirect URI the response goes to, or why there is none (then the error page is used, never the URI). */
export function resolveRedirectUri (registered: readonly string[], requested: string, isOpenIdRequest: boolean): RedirectResolution {
  if (requested === '') {
    if (isOpenIdRequest) return { ok: false, hint: 'The redirect_uri parameter is required when the openid scope is requested.' }
    if (registered.length !== 1) return { ok: false, hint: 'The redirect_uri parameter is required because the client registered more than one redirect URI.' }
    return { ok: true, uri: registered[0] as string }
  }
  const url = parse(requested)
  if (url === undefined) return { ok: false, hint: 'The redirect_uri parameter is not a valid absolute URL.' }
  if (url.hash !== '' || requested.includes('#')) return { ok: false, hint: 'The redirect_uri parameter must not contain a fragment.' }
  if (url.username !== '' || url.password !== '') return { ok: false, hint: 'The redirect_uri parameter must not contain user information.' }
  if (registered.includes(requested) || registered.some((entry) => matchesLoopbackAnyPort(entry, url))) return { ok: true, uri: requested }
  return { ok: false, hint: 'The redirect_uri parameter does not match any of the OAuth 2.0 Client\'s pre-registered redirect urls.' }
}

/** http is only allowed for localhost, *.localhost and loopback IPs (unless dev mode); https and custom schemes are fine. */
export function isSecureRedirectUri (uri: string): boolean {
  const url = parse(uri)
  if (url === undefined) return false
  if (url.protocol !== 'http:') return true
  return isLocalhost(url.hostname)
}

export function isLocalhost (hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return host.startsWith('127.')
  return host === '::1'
}

/** Consent may only be remembered for public clients whose redirect is https or http on a loopback host (§3.5). */
export function canPublicClientSkipConsent (uri: string): boolean {
  const url = parse(uri)
  if (url === undefined) return false
  if (url.protocol === 'https:') return true
  return url.protocol === 'http:' && isLocalhost(url.hostname)
}
