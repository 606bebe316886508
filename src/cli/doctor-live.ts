// `warden doctor`'s live checks: probe the running listeners and the public URL, then judge what each one saw.
//
// Each probe is a GET /health/alive signed with secrets.system (http/doctor-probe.ts). The listener answers it with
// the address the request arrived from, whether that address is inside allow_termination_from, and the
// X-Forwarded-* headers it carried, which is exactly what the TLS-termination guard decides on.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import type { Config } from '../config/schema.js'
import { joinUrl, selfUrls } from '../config/urls.js'
import { DOCTOR_PROBE_HEADER, DOCTOR_REPORT_HEADER, decodeObservation, signDoctorProbe, type DoctorObservation } from '../http/doctor-probe.js'
import type { ListenerName } from '../http/http-config.js'
import { decideTlsMode, isUnixSocketHost, trustedProxiesFor, type TlsMode } from '../http/tls-mode.js'
import { isForwardedProtoHttps } from '../http/plugins/tls-termination.js'
import { parseCidrList } from '../lib/cidr.js'
import type { Finding } from './doctor-checks.js'

export interface ProbeTarget {
  /** How findings name it: "the public listener", "https://auth.example.com/". */
  label: string
  listener: ListenerName
  /** Absolute /health/alive URL; on a UNIX socket only its path counts. */
  url: string
  socketPath?: string
  /** Addressed at the listener itself (true), or at a URL a gateway may answer (false). */
  isDirect: boolean
  /** Check the certificate: yes for URLs browsers use, no for a listener addressed by IP. */
  isVerifyingTls: boolean
}

export type ProbeResult =
  | { kind: 'unreachable', url: string, code: string, reason: string }
  | { kind: 'answered', url: string, status: number, seen: DoctorObservation | undefined, schemeNote?: string }

const PROBE_TIMEOUT_MS = 3000
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/

/** `serve.<listener>.tls.allow_termination_from` when the listener sets it, else the shared key: the one in effect. */
export function terminationKey (config: Readonly<Config>, listener: ListenerName): string {
  return config.serve[listener].tls?.allow_termination_from === undefined ? 'serve.tls.allow_termination_from' : `serve.${listener}.tls.allow_termination_from`
}

/** How serve would run the listener; undefined for half a TLS configuration (the config checks report it). */
function listenerMode (config: Readonly<Config>, listener: ListenerName): TlsMode | undefined {
  try {
    return decideTlsMode(config, listener, { forceHttp: false, isUnixSocket: isUnixSocketHost(config.serve[listener].host) }).mode
  } catch {
    return undefined
  }
}

function listenerScheme (config: Readonly<Config>, listener: ListenerName): 'http' | 'https' {
  const mode = listenerMode(config, listener)
  return mode === 'https-files' || mode === 'https-self-signed' ? 'https' : 'http'
}

/** Both listeners as serve binds them (a wildcard host is reached on 127.0.0.1), then the public URL when it differs. */
export function probeTargets (config: Readonly<Config>, options: { endpoint?: string } = {}): ProbeTarget[] {
  const targets: ProbeTarget[] = []
  for (const listener of ['public', 'admin'] as const) {
    const { host, port } = config.serve[listener]
    const path = listener === 'admin' ? 'admin/health/alive' : 'health/alive'
    if (isUnixSocketHost(host)) {
      targets.push({ label: `the ${listener} listener (${host})`, listener, url: `http://localhost/${path}`, socketPath: host.slice('unix:'.length), isDirect: true, isVerifyingTls: false })
      continue
    }
    const name = host === '' || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : isIP(host) === 6 ? `[${host}]` : host
    const url = `${listenerScheme(config, listener)}://${name}:${port}/${path}`
    targets.push({ label: `the ${listener} listener (${name}:${port})`, listener, url, isDirect: true, isVerifyingTls: false })
  }
  const publicUrl = joinUrl(options.endpoint ?? selfUrls(config).public, 'health/alive')
  if (new URL(publicUrl).origin !== new URL(targets[0]?.url ?? publicUrl).origin || options.endpoint !== undefined) {
    targets.push({ label: publicUrl.replace(/health\/alive$/, ''), listener: 'public', url: publicUrl, isDirect: false, isVerifyingTls: true })
  }
  return targets
}

function get (url: string, target: ProbeTarget, probeHeader: string | undefined, skipTlsVerify: boolean): Promise<IncomingMessage> {
  const parsed = new URL(url)
  const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = send(parsed, {
      method: 'GET',
      headers: { accept: 'application/json', ...(probeHeader === undefined ? {} : { [DOCTOR_PROBE_HEADER]: probeHeader }) },
      agent: false,
      rejectUnauthorized: target.isVerifyingTls && !skipTlsVerify,
      timeout: PROBE_TIMEOUT_MS,
      ...(target.socketPath === undefined ? {} : { socketPath: target.socketPath })
    }, (res) => { res.resume(); res.on('end', () => resolve(res)); res.on('error', reject) })
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })))
    req.on('error', reject)
    req.end()
  })
}

const otherScheme = (url: string): string => url.startsWith('https:') ? url.replace(/^https:/, 'http:') : url.replace(/^http:/, 'https:')

/** One probe; a listener that speaks the other scheme than the configuration says (e.g. --dangerous-force-http) is retried once. */
export async function runProbe (target: ProbeTarget, options: { secret: string | undefined, skipTlsVerify: boolean }): Promise<ProbeResult> {
  const header = options.secret === undefined ? undefined : signDoctorProbe(options.secret, Date.now() / 1000)
  const attempt = async (url: string): Promise<ProbeResult> => {
    try {
      const res = await get(url, target, header, options.skipTlsVerify)
      return { kind: 'answered', url, status: res.statusCode ?? 0, seen: decodeObservation(res.headers[DOCTOR_REPORT_HEADER]) }
    } catch (error) {
      const code = String((error as NodeJS.ErrnoException).code ?? '')
      return { kind: 'unreachable', url, code, reason: (error as Error).message }
    }
  }
  const first = await attempt(target.url)
  const isProtocolMismatch = first.kind === 'unreachable' && /EPROTO|ECONNRESET|WRONG_VERSION|HPE_/.test(`${first.code} ${first.reason}`)
  if (!target.isDirect || target.socketPath !== undefined || !isProtocolMismatch) return first
  const second = await attempt(otherScheme(target.url))
  if (second.kind === 'unreachable') return first
  return { ...second, schemeNote: `${target.label} speaks ${second.url.split(':')[0] ?? ''}, not ${target.url.split(':')[0] ?? ''} as this configuration says (serve started with --dangerous-force-http, or with another configuration)` }
}

export interface Probed { target: ProbeTarget, result: ProbeResult }

/** Whether this configuration would trust `peer` the way the running listener does. */
function isTrustAgreed (config: Readonly<Config>, listener: ListenerName, seen: DoctorObservation): boolean {
  const isConfigured = listenerMode(config, listener) === 'termination'
  if (seen.isGuarded !== isConfigured) return false
  try {
    return !isConfigured || parseCidrList(trustedProxiesFor(config, listener)).contains(seen.peer) === seen.isPeerTrusted
  } catch {
    return false
  }
}

/** The list as this configuration has it, unless the running server evidently reads another one. */
function trustedList (config: Readonly<Config>, listener: ListenerName, seen: DoctorObservation): string {
  if (!isTrustAgreed(config, listener, seen)) return 'as the running server reads it'
  const list = trustedProxiesFor(config, listener)
  return list.length === 0 ? 'empty' : list.join(', ')
}
const hostCidr = (address: string): string => `${address}/${isIP(address) === 6 ? 128 : 32}`

/** The running listener decides on its own configuration; say so when it is not the one doctor read. */
function judgeGuardAgreement (config: Readonly<Config>, { target }: Probed, seen: DoctorObservation): Finding[] {
  if (seen.peer === 'unix' || seen.isTls || isTrustAgreed(config, target.listener, seen)) return []
  const running = !seen.isGuarded ? 'checks no TLS-terminating proxy' : `${seen.isPeerTrusted ? 'trusts' : 'does not trust'} ${seen.peer} as a TLS-terminating proxy`
  return [{
    severity: 'warn',
    text: `${target.isDirect ? target.label : `the ${target.listener} listener behind ${target.label}`} ${running}, unlike this configuration: the running server reads another configuration, or was not restarted after a change`,
    fix: `${terminationKey(config, target.listener)} (run doctor with the -c files and environment serve uses, then restart serve)`
  }]
}

function judgeDirect (config: Readonly<Config>, probed: Probed, seen: DoctorObservation): Finding[] {
  const { target } = probed
  const key = terminationKey(config, target.listener)
  const agreement = judgeGuardAgreement(config, probed, seen)
  if (seen.peer === 'unix') return [{ severity: 'ok', text: `${target.label} answers on its UNIX socket (no TLS, no proxy check)` }]
  if (seen.isTls) return [...agreement, { severity: 'ok', text: `${target.label} answers over HTTPS; this host's requests arrive from ${seen.peer}` }]
  if (!seen.isGuarded) {
    return [...agreement, {
      severity: 'ok',
      text: `${target.label} answers plain HTTP and checks no proxy: X-Forwarded-Proto is ignored, requests from ${seen.peer} (this host) are served as they come`
    }]
  }
  if (seen.isPeerTrusted) {
    return [...agreement, {
      severity: 'ok',
      text: `requests from ${seen.peer} (this host) reach ${target.label} directly and ${seen.peer} is in ${key} (${trustedList(config, target.listener, seen)}): ` +
        'X-Forwarded-Proto: https from a gateway on this host is honoured (and from any other local process)'
    }]
  }
  const refused = target.listener === 'admin'
    ? 'the admin API refuses them as insecure HTTP (the login app and `warden` management commands on this host included)'
    : 'Warden refuses them as insecure HTTP, and a gateway running on this host would be refused too'
  return [...agreement, {
    severity: 'info',
    text: `requests from ${seen.peer} (this host) reach ${target.label} directly; ${seen.peer} is not in ${key} (${trustedList(config, target.listener, seen)}), so ${refused}`,
    fix: target.listener === 'admin'
      ? `${key}: add ${hostCidr(seen.peer)} when local tools call the admin API, or serve.admin.tls.enabled: false for a private admin port`
      : `${key}: add ${hostCidr(seen.peer)} if a gateway runs on this host`
  }]
}

function judgeThroughUrl (config: Readonly<Config>, probed: Probed, seen: DoctorObservation): Finding[] {
  const { target } = probed
  const key = terminationKey(config, target.listener)
  const via = `requests to ${target.label} arrive from ${seen.peer}`
  const proto = seen.forwardedProto === '' ? 'no X-Forwarded-Proto' : `X-Forwarded-Proto: ${seen.forwardedProto}`
  if (seen.isTls) return [{ severity: 'ok', text: `${via} over TLS straight to Warden (no TLS-terminating gateway)` }]
  return [...judgeGuardAgreement(config, probed, seen), ...judgeForwarding(config, probed, seen, { key, via, proto })]
}

function judgeForwarding (config: Readonly<Config>, { target }: Probed, seen: DoctorObservation, words: { key: string, via: string, proto: string }): Finding[] {
  const { key, via, proto } = words
  if (!seen.isGuarded) {
    const isGatewayed = seen.forwardedProto !== '' || seen.forwardedFor !== ''
    return [{
      severity: isGatewayed && !config.dev ? 'info' : 'ok',
      text: `${via} with ${proto}; the public listener checks no proxy, so it takes every request as it comes`,
      ...(isGatewayed && !config.dev ? { fix: `${key}: [${hostCidr(seen.peer)}] lets only that gateway claim https` } : {})
    }]
  }
  if (!seen.isPeerTrusted) {
    return [{
      severity: 'error',
      text: `${via}, which is not in ${key} (${trustedList(config, target.listener, seen)}): its ${proto} is ignored, and every OAuth 2.0 request through this URL is refused as insecure HTTP`,
      fix: `${key}: add ${hostCidr(seen.peer)} (the gateway's address as Warden sees it, or its subnet)`
    }]
  }
  if (!isForwardedProtoHttps(seen.forwardedProto)) {
    return [{
      severity: 'error',
      text: `${via}, which is in ${key}, but with ${proto}: Warden refuses every OAuth 2.0 request through this URL as insecure HTTP`,
      fix: 'the gateway: send X-Forwarded-Proto: https (nginx: proxy_set_header X-Forwarded-Proto $scheme; in the TLS server block)'
    }]
  }
  return [{ severity: 'ok', text: `${via}, which is in ${key}; its X-Forwarded-Proto: https is honoured` }]
}

function judgeUnreachable ({ target, result }: Probed & { result: { kind: 'unreachable' } }): Finding {
  if (target.isDirect) {
    return {
      severity: 'info',
      text: `nothing answers at ${target.url} (${result.reason}): ${target.label} is not running, so its live checks were skipped`,
      fix: `start \`warden serve\` with this configuration, or check serve.${target.listener}.host / serve.${target.listener}.port`
    }
  }
  if (CERTIFICATE_ERROR.test(`${result.code} ${result.reason}`)) {
    return {
      severity: 'warn',
      text: `browsers will refuse ${target.label}: ${result.reason}`,
      fix: 'the gateway\'s certificate (or serve.tls.cert / serve.tls.key); doctor --skip-tls-verify probes it anyway'
    }
  }
  return {
    severity: 'info',
    text: `${target.label} is not reachable from this host (${result.reason}); the check of what a gateway forwards was skipped`,
    fix: 'doctor --endpoint <the URL the gateway answers on>, or urls.self.public / urls.self.issuer'
  }
}

function judgeOne (config: Readonly<Config>, probed: Probed, hasSecret: boolean): Finding[] {
  const { target, result } = probed
  if (result.kind === 'unreachable') return [judgeUnreachable({ target, result })]
  const findings: Finding[] = result.schemeNote === undefined ? [] : [{ severity: 'info', text: result.schemeNote }]
  if (result.status !== 200) {
    return [...findings, {
      severity: 'warn',
      text: `${result.url} answered HTTP ${result.status}, not 200: ${target.isDirect ? 'something other than Warden listens there' : 'the gateway does not route /health/alive to Warden\'s public listener'}`,
      fix: target.isDirect ? `serve.${target.listener}.port` : 'the gateway\'s route to serve.public (and urls.self.public when it adds a path prefix)'
    }]
  }
  if (result.seen === undefined) {
    return [...findings, {
      severity: hasSecret ? 'warn' : 'info',
      text: `${result.url} answered but did not say which address the request came from: ` + (!hasSecret
        ? 'this configuration has no secrets.system to sign the question with'
        : target.isDirect
          ? 'the running server has another secrets.system than this configuration (or is an older Warden)'
          : 'the gateway drops the X-Warden-Doctor-Probe request header or the X-Warden-Doctor-Report response header, or leads to a Warden with another secrets.system'),
      fix: 'secrets.system (doctor must read the configuration serve reads)'
    }]
  }
  return [...findings, ...(target.isDirect ? judgeDirect(config, probed, result.seen) : judgeThroughUrl(config, probed, result.seen))]
}

/** Findings for every probe, in order; when no listener answers at all, one finding says Warden is not running. */
export function judgeProbes (config: Readonly<Config>, probes: readonly Probed[], hasSecret: boolean): Finding[] {
  const direct = probes.filter((probed) => probed.target.isDirect)
  if (direct.length > 0 && direct.every((probed) => probed.result.kind === 'unreachable')) {
    const first = direct[0]?.result as { reason: string }
    return [{
      severity: 'info',
      text: `no Warden answers at ${direct.map((probed) => probed.target.url).join(' or ')} (${first.reason}): it is not running with this configuration, so the live checks were skipped`,
      fix: 'start `warden serve all` with this configuration, or check serve.public.host / serve.public.port / serve.admin.port'
    }]
  }
  return probes.flatMap((probed) => judgeOne(config, probed, hasSecret))
}

function isHttpUrl (text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol)
  } catch {
    return false
  }
}

/** Probes every target in turn (a handful of requests, each bounded by PROBE_TIMEOUT_MS). */
export async function liveChecks (config: Readonly<Config>, options: { endpoint?: string, skipTlsVerify: boolean, secret: string | undefined }): Promise<Finding[]> {
  const { secret } = options
  if (options.endpoint !== undefined && !isHttpUrl(options.endpoint)) {
    return [{ severity: 'error', text: `--endpoint "${options.endpoint}" is not an http(s) URL such as https://auth.example.com/`, fix: '--endpoint' }]
  }
  const probes: Probed[] = []
  for (const target of probeTargets(config, options.endpoint === undefined ? {} : { endpoint: options.endpoint })) {
    // Without a public listener, a gateway can only answer 502: that says nothing new.
    const isPublicDown = probes.some((probe) => probe.target.isDirect && probe.target.listener === 'public' && probe.result.kind === 'unreachable')
    if (!target.isDirect && isPublicDown) continue
    probes.push({ target, result: await runProbe(target, { secret, skipTlsVerify: options.skipTlsVerify }) })
  }
  return judgeProbes(config, probes, secret !== undefined)
}
