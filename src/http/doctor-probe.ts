// The `warden doctor` live probe: a GET /health/alive signed with secrets.system is answered with what the listener saw.
//
//   doctor ── GET /health/alive, X-Warden-Doctor-Probe: <unix seconds>.<nonce>.<HMAC-SHA256(secret, ...)> ──► listener
//   doctor ◄── 200 {"status":"ok"}, X-Warden-Doctor-Report: peer=10.0.0.5&tls=0&guard=1&trusted=0&proto=https&for=... ──
//
// The report names the address the request arrived from (behind a gateway: the gateway's internal address), so it
// is only sent to callers that prove they hold secrets.system; anyone else gets the plain Hydra answer. A proof is
// accepted for five minutes either side of the listener's clock, which bounds replays of an observed probe.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'

export const DOCTOR_PROBE_HEADER = 'x-warden-doctor-probe'
export const DOCTOR_REPORT_HEADER = 'x-warden-doctor-report'
const MAX_SKEW_SECONDS = 300

function mac (secret: string, seconds: string, nonce: string): Buffer {
  return createHmac('sha256', secret).update(`warden doctor probe\n${seconds}\n${nonce}`).digest()
}

/** The probe header value for `secret` (the first secrets.system entry of the configuration doctor reads). */
export function signDoctorProbe (secret: string, nowSeconds: number, nonce = randomBytes(12).toString('base64url')): string {
  const seconds = String(Math.floor(nowSeconds))
  return `${seconds}.${nonce}.${mac(secret, seconds, nonce).toString('base64url')}`
}

/** True when `value` was signed with one of `secrets` (rotation: any entry) within the allowed clock skew. */
export function isDoctorProbeValid (value: string | string[] | undefined, secrets: readonly string[], nowSeconds: number): boolean {
  if (typeof value !== 'string') return false
  const [seconds = '', nonce = '', proof = '', ...rest] = value.split('.')
  if (rest.length > 0 || !/^\d{1,12}$/.test(seconds) || !/^[\w-]{1,64}$/.test(nonce)) return false
  if (Math.abs(Number(seconds) - nowSeconds) > MAX_SKEW_SECONDS) return false
  const presented = Buffer.from(proof, 'base64url')
  return secrets.some((secret) => {
    const expected = mac(secret, seconds, nonce)
    return presented.length === expected.length && timingSafeEqual(presented, expected)
  })
}

/** What a listener saw of one request. */
export interface DoctorObservation {
  /** The connecting peer's address ('unix' on a UNIX socket); an IPv4-mapped IPv6 address is shown as IPv4. */
  peer: string
  /** The connection itself is TLS. */
  isTls: boolean
  /** The listener runs the TLS-termination guard (allow_termination_from is in effect). */
  isGuarded: boolean
  /** The peer is inside allow_termination_from. */
  isPeerTrusted: boolean
  /** X-Forwarded-Proto and X-Forwarded-For as received ('' when absent). */
  forwardedProto: string
  forwardedFor: string
}

export function peerAddress (remoteAddress: string | undefined): string {
  if (remoteAddress === undefined || remoteAddress === '') return 'unix'
  return remoteAddress.startsWith('::ffff:') && isIP(remoteAddress.slice(7)) === 4 ? remoteAddress.slice(7) : remoteAddress
}

export function encodeObservation (seen: DoctorObservation): string {
  const flag = (value: boolean): string => value ? '1' : '0'
  return new URLSearchParams({
    peer: seen.peer,
    tls: flag(seen.isTls),
    guard: flag(seen.isGuarded),
    trusted: flag(seen.isPeerTrusted),
    proto: seen.forwardedProto,
    for: seen.forwardedFor
  }).toString()
}

/** undefined when the header is absent or is not a report this version understands. */
export function decodeObservation (header: string | string[] | undefined): DoctorObservation | undefined {
  if (typeof header !== 'string') return undefined
  const fields = new URLSearchParams(header)
  const peer = fields.get('peer')
  if (peer === null || peer === '') return undefined
  return {
    peer,
    isTls: fields.get('tls') === '1',
    isGuarded: fields.get('guard') === '1',
    isPeerTrusted: fields.get('trusted') === '1',
    forwardedProto: fields.get('proto') ?? '',
    forwardedFor: fields.get('for') ?? ''
  }
}
