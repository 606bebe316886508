// `warden doctor`'s configuration checks: pure functions from a loaded config to findings, each naming the key to change.
import type { Config } from '../config/schema.js'
import { selfUrls } from '../config/urls.js'
import { decideTlsMode, isUnixSocketHost, trustedProxiesFor } from '../http/tls-mode.js'
import { parseDurationMs } from '../lib/duration.js'

export type Severity = 'ok' | 'info' | 'warn' | 'error'

export interface Finding {
  severity: Severity
  text: string
  /** The configuration key (or command) that changes the outcome. */
  fix?: string
}

const isHttps = (url: string): boolean => url.toLowerCase().startsWith('https://')

/** Issuer scheme vs what the public listener serves, and who may terminate TLS in front of it (peers.md §3 items 1–3, 28). */
export function checkIssuerAndTls (config: Readonly<Config>): Finding[] {
  const { issuer } = selfUrls(config)
  if (!isHttps(issuer) && !config.dev) return [{ severity: 'error', text: `the issuer ${issuer} is plain http outside dev mode`, fix: 'urls.self.issuer' }]
  let decision: ReturnType<typeof decideTlsMode>
  try {
    decision = decideTlsMode(config, 'public', { forceHttp: false, isUnixSocket: isUnixSocketHost(config.serve.public.host) })
  } catch (error) {
    return [{ severity: 'error', text: (error as Error).message, fix: 'serve.tls.cert and serve.tls.key (both, or neither)' }]
  }
  if (!isHttps(issuer)) {
    return decision.mode === 'plain'
      ? [{ severity: 'ok', text: `issuer ${issuer} (http, dev mode)` }]
      : [{ severity: 'warn', text: `the issuer ${issuer} is http but the public listener ${decision.mode === 'termination' ? 'requires X-Forwarded-Proto: https' : 'speaks HTTPS'}: the URLs Warden publishes do not work`, fix: 'urls.self.issuer' }]
  }
  switch (decision.mode) {
    case 'https-files': return [{ severity: 'ok', text: `issuer ${issuer}; ${decision.reason}` }]
    case 'termination': return [{ severity: 'ok', text: `TLS is terminated in front of Warden; requests from ${decision.trustedProxies.join(', ')} must carry X-Forwarded-Proto: https` }]
    case 'https-self-signed': return [{
      severity: 'warn',
      text: `the issuer ${issuer} is https and the public listener serves HTTPS with a SELF-SIGNED certificate: browsers and clients refuse it unless a gateway in front terminates TLS`,
      fix: 'serve.tls.allow_termination_from (the gateway\'s CIDR), or serve.tls.cert and serve.tls.key'
    }]
    case 'plain': return [{
      severity: config.dev ? 'info' : 'warn',
      text: `the issuer ${issuer} is https but the public listener serves plain HTTP and trusts no TLS-terminating proxy; ` +
        'a gateway must terminate TLS, and Warden cannot tell its requests from direct ones',
      fix: 'serve.tls.allow_termination_from (the gateway\'s CIDR), or serve.tls.cert and serve.tls.key'
    }]
  }
}

/** The cookie settings browsers will drop or downgrade (peers.md §3 items 9, 29). */
export function checkCookies (config: Readonly<Config>): Finding[] {
  const { issuer } = selfUrls(config)
  const { cookies } = config.serve
  const findings: Finding[] = []
  if (!isHttps(issuer) && config.dev && cookies.secure) {
    findings.push({ severity: 'error', text: 'serve.cookies.secure is true with a plain-http issuer: browsers will not store the login and CSRF cookies', fix: 'serve.cookies.secure: false (dev) or an https issuer' })
  }
  if (!isHttps(issuer) && cookies.same_site_mode === 'None') {
    findings.push({ severity: 'info', text: 'serve.cookies.same_site_mode is None but the issuer is http, so cookies are sent as SameSite=Lax (browsers drop insecure SameSite=None cookies)' })
  }
  if (cookies.same_site_mode === 'Strict') {
    findings.push({ severity: 'warn', text: 'SameSite=Strict cookies are not sent when the login app redirects back to Warden from another site, so flows fail with request_forbidden', fix: 'serve.cookies.same_site_mode: Lax' })
  }
  const urls = selfUrls(config)
  const hostOf = (url: string): string => { try { return new URL(url).hostname } catch { return '' } }
  const hosts = new Set([hostOf(urls.public), ...(config.urls.login === undefined ? [] : [hostOf(urls.login)])])
  if (hosts.has('localhost') && hosts.has('127.0.0.1')) {
    findings.push({ severity: 'warn', text: 'the public URL and the login app mix "localhost" and "127.0.0.1"; browsers keep separate cookies for each, the most common cause of CSRF errors', fix: 'urls.self.issuer / urls.login: use one host name' })
  }
  if (findings.length === 0) findings.push({ severity: 'ok', text: `cookies: SameSite=${cookies.same_site_mode}, Secure=${config.dev ? String(cookies.secure) : 'true'}` })
  return findings
}

export function checkSecrets (config: Readonly<Config>): Finding[] {
  const findings: Finding[] = []
  const { system, cookie } = config.secrets
  if (system.length === 0) findings.push({ severity: config.dev ? 'info' : 'error', text: 'secrets.system is empty' + (config.dev ? ' (dev mode generates one)' : ''), fix: 'secrets.system / SECRETS_SYSTEM' })
  for (const [index, secret] of [...system.map((s) => ['system', s] as const), ...cookie.map((s) => ['cookie', s] as const)].entries()) {
    const [kind, value] = secret
    if (value.length < 16) findings.push({ severity: 'error', text: `secrets.${kind} entry ${index} is ${value.length} characters; at least 16 are needed`, fix: `secrets.${kind}` })
  }
  if (system.length > 1) findings.push({ severity: 'info', text: `secrets.system holds ${system.length} secrets: the first seals, the others only open (rotation in progress?)`, fix: 'warden migrate secrets, then drop the old secrets' })
  if (findings.length === 0) findings.push({ severity: 'ok', text: `secrets.system: ${system.length} secret(s) of sufficient length` })
  return findings
}

export function checkLoginApp (config: Readonly<Config>): Finding[] {
  if (config.urls.login === undefined || config.urls.consent === undefined) {
    return [{
      severity: config.dev ? 'info' : 'warn',
      text: config.dev
        ? 'urls.login / urls.consent are not set: `serve all --dev` serves the bundled login UI on serve.ui.port'
        : 'urls.login / urls.consent are not set: browsers reach Warden\'s fallback page instead of a login app',
      fix: 'urls.login, urls.consent, urls.logout'
    }]
  }
  return [{ severity: 'ok', text: `login app: ${config.urls.login} (consent ${config.urls.consent})` }]
}

const SHORT_CHALLENGE_MS = 5 * 60_000

/** Challenges (and their CSRF cookies) shorter-lived than a slow sign-in end in "the login request has expired". */
export function checkChallengeLifetime (config: Readonly<Config>): Finding[] {
  const ttl = config.ttl.login_consent_request
  if (parseDurationMs(ttl) >= SHORT_CHALLENGE_MS) return []
  return [{
    severity: 'warn',
    text: `login, consent and logout challenges expire after ${ttl}: users who take longer (a password manager, a second factor) get "The login request has expired"`,
    fix: 'ttl.login_consent_request (default 30m)'
  }]
}

/** What a browser and a gateway will see, as plain lines. */
export function describeEndpoints (config: Readonly<Config>): string[] {
  const urls = selfUrls(config)
  return [
    `issuer                 ${urls.issuer}`,
    `discovery              ${urls.public}.well-known/openid-configuration`,
    `authorization          ${urls.public}oauth2/auth`,
    `token                  ${urls.public}oauth2/token`,
    `login / consent / out  ${urls.login} | ${urls.consent} | ${urls.logout}`,
    `admin API (private!)   ${urls.admin}`,
    `health (for gateways)  ${urls.public}health/alive, ${urls.public}health/ready`
  ]
}

function gatewayLine (config: Readonly<Config>): string {
  const { host, port } = config.serve.public
  const isWildcard = host === '' || host === '0.0.0.0' || host === '::'
  const address = isUnixSocketHost(host) ? host : `${isWildcard ? '<this host>' : host}:${port}`
  let mode: string
  try {
    mode = decideTlsMode(config, 'public', { forceHttp: false, isUnixSocket: isUnixSocketHost(host) }).mode
  } catch {
    return `gateway                ${address}: TLS half configured (see the findings)`
  }
  if (mode === 'termination') {
    return `gateway                forward to http://${address} from ${trustedProxiesFor(config, 'public').join(', ')}, with X-Forwarded-Proto: https`
  }
  if (mode === 'plain') return `gateway                plain HTTP on ${address}; X-Forwarded-Proto is not checked`
  return `gateway                Warden speaks HTTPS on ${address}${mode === 'https-self-signed' ? ' (self-signed certificate)' : ''}: pass TLS through or re-encrypt`
}

/** The scheme and cookies a browser gets, and what a gateway in front of the public listener must do. */
export function describeBrowserAndGateway (config: Readonly<Config>): string[] {
  const urls = selfUrls(config)
  const { cookies } = config.serve
  const sameSite = cookies.same_site_mode === 'None' && !isHttps(urls.issuer) ? 'Lax' : cookies.same_site_mode
  const isSecure = config.dev ? cookies.secure : true
  const suffix = config.dev ? '_dev' : ''
  const attributes = ['HttpOnly', ...(isSecure ? ['Secure'] : []), `SameSite=${sameSite}`,
    cookies.domain === undefined || cookies.domain === '' ? `host-only (${new URL(urls.public).hostname})` : `Domain=${cookies.domain}`]
  return [
    `browser scheme         ${isHttps(urls.issuer) ? 'https' : 'http'} (urls.self.issuer)`,
    `cookies                ${cookies.names.session}${suffix}, ${cookies.names.login_csrf}${suffix}_<client>, ${cookies.names.consent_csrf}${suffix}_<client>`,
    `cookie attributes      ${attributes.join('; ')}`,
    `challenges expire      after ${config.ttl.login_consent_request} (ttl.login_consent_request; the CSRF cookies too)`,
    gatewayLine(config)
  ]
}
