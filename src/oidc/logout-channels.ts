// OIDC Front-Channel Logout 1.0 URLs and Back-Channel Logout 1.0 deliveries for a login session that ended.
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { OAuth2Client } from '../clients/client.js'
import type { EndedLoginSession, LogoutNotifier } from '../flows/logout-notifier.js'
import { signJwt, type SigningKey } from '../keys/signing.js'
import type { Clock } from '../lib/clock.js'
import { OUTGOING_TIMEOUT_MS, fetchWithRetries } from '../lib/outgoing-http.js'

/** Back-Channel Logout 1.0 §2.4: the member of `events` that makes a JWT a logout token. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout'

/** pino's call shape, so the container passes its logger as is. */
export interface LogoutChannelsLog {
  info(fields: object, message: string): void
  error(fields: object, message: string): void
}

export interface LogoutChannelsDeps {
  issuer: string
  clock: Clock
  /** The current key of the ID-token set (hydra.openid.id-token): logout tokens are signed like ID tokens. */
  signingKey: () => Promise<SigningKey>
  log: LogoutChannelsLog
  /** `clients.http.disallow_private_ip_ranges`: why a URL may not be called, or undefined. */
  checkUrl?: (url: string) => Promise<string | undefined>
  fetch?: typeof fetch
  /** Per delivery, retries included (Hydra: 30 s). */
  timeoutMs?: number
  /** Pause before each retry; the length is the number of retries (Hydra's client retries twice). */
  retryDelaysMs?: readonly number[]
}

interface Delivery { clientId: string, url: string, token: string }

/**
 * The LogoutNotifier Warden runs with. Back-channel deliveries are fire-and-forget, like Hydra's goroutines, but
 * tracked: drain() lets them finish during shutdown and then aborts the rest, so none outlives the server.
 */
export class LogoutChannels implements LogoutNotifier {
  private readonly deps: LogoutChannelsDeps
  private readonly pending = new Set<Promise<void>>()
  private readonly shutdown = new AbortController()

  constructor (deps: LogoutChannelsDeps) {
    this.deps = deps
  }

  async sessionEnded (session: EndedLoginSession): Promise<{ frontChannelUrls: string[] }> {
    await this.sendBackChannel(session.clients.filter((client) => client.backchannelLogoutUri !== ''), session.sid)
    return { frontChannelUrls: this.frontChannelUrls(session.clients, session.sid) }
  }

  /** Deliveries still running (tests and shutdown). */
  get inFlight (): number { return this.pending.size }

  /** Waits up to `graceMs` for running deliveries, then aborts those left and waits for them to settle. */
  async drain (graceMs: number): Promise<void> {
    if (this.pending.size > 0 && graceMs > 0) {
      const grace = new AbortController()
      await Promise.race([Promise.allSettled([...this.pending]), sleep(graceMs, undefined, { signal: grace.signal }).catch(() => {})])
      grace.abort()
    }
    this.shutdown.abort()
    await Promise.allSettled([...this.pending])
  }

  /**
   * Front-Channel Logout 1.0 §2: each `frontchannel_logout_uri` with `iss` and `sid` (always, as Hydra, whatever
   * frontchannel_logout_session_required says). A URI that does not parse is left out.
   */
  private frontChannelUrls (clients: readonly OAuth2Client[], sid: string): string[] {
    const urls: string[] = []
    for (const client of clients) {
      if (client.frontchannelLogoutUri === '') continue
      try {
        const url = new URL(client.frontchannelLogoutUri)
        url.searchParams.set('iss', this.deps.issuer)
        url.searchParams.set('sid', sid)
        urls.push(url.toString())
      } catch {
        this.deps.log.error({ client_id: client.id, frontchannel_logout_uri: client.frontchannelLogoutUri }, 'frontchannel_logout_uri is not a valid URL: front-channel logout skipped')
      }
    }
    return urls
  }

  /**
   * Back-Channel Logout 1.0 §2.4. Claims as Hydra sends them: `sid` always and no `sub` (a pairwise client would
   * need its own form of the subject), `aud` an array, no `exp`; header `typ: JWT` and the key's `kid`.
   */
  private async sendBackChannel (clients: readonly OAuth2Client[], sid: string): Promise<void> {
    if (clients.length === 0) return
    let key: SigningKey
    try {
      key = await this.deps.signingKey()
    } catch (error) {
      this.deps.log.error({ err: error, sid }, 'no ID-token signing key: back-channel logout skipped')
      return
    }
    const iat = Math.floor(this.deps.clock.now().getTime() / 1000)
    for (const client of clients) {
      const token = signJwt(key, { iss: this.deps.issuer, aud: [client.id], iat, jti: randomUUID(), events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, sid })
      this.track({ clientId: client.id, url: client.backchannelLogoutUri, token })
    }
  }

  private track (delivery: Delivery): void {
    const running = this.deliver(delivery).catch((error: unknown) => {
      this.deps.log.error({ err: error, client_id: delivery.clientId }, 'back-channel logout failed unexpectedly')
    })
    this.pending.add(running)
    void running.finally(() => this.pending.delete(running))
  }

  /** POST logout_token (§2.5); 200 or 204 is success. Failures are logged, never reported to the browser. */
  private async deliver (delivery: Delivery): Promise<void> {
    const fields = { client_id: delivery.clientId, backchannel_logout_url: delivery.url }
    const refused = await this.deps.checkUrl?.(delivery.url)
    const failure = refused !== undefined ? `clients.http.disallow_private_ip_ranges: ${refused}` : await this.withDeadline(async (signal) => await this.attempts(delivery, signal))
    if (failure === undefined) this.deps.log.info(fields, 'Back-Channel Logout Request')
    else this.deps.log.error({ ...fields, reason: failure }, 'Unable to execute OpenID Connect Back-Channel Logout Request')
  }

  /** Runs `work` under one signal that fires at the timeout or at shutdown (no AbortSignal.any: Node 20.0). */
  private async withDeadline (work: (signal: AbortSignal) => Promise<string | undefined>): Promise<string | undefined> {
    const controller = new AbortController()
    const timer = setTimeout(() => { controller.abort('timed out') }, this.deps.timeoutMs ?? OUTGOING_TIMEOUT_MS)
    const onShutdown = (): void => { controller.abort('aborted: the server is shutting down') }
    this.shutdown.signal.addEventListener('abort', onShutdown, { once: true })
    if (this.shutdown.signal.aborted) onShutdown()
    try {
      return await work(controller.signal)
    } finally {
      clearTimeout(timer)
      this.shutdown.signal.removeEventListener('abort', onShutdown)
    }
  }

  /** The POST and its retries (Hydra's client: no answer, 429 and 5xx but 501); undefined on success, else why it failed. */
  private async attempts (delivery: Delivery, signal: AbortSignal): Promise<string | undefined> {
    const body = new URLSearchParams({ logout_token: delivery.token }).toString()
    const outcome = await fetchWithRetries(delivery.url, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual'
    }, { signal, retryDelaysMs: this.deps.retryDelaysMs, fetch: this.deps.fetch })
    // A deadline or shutdown is the reason, whatever the attempts before it met.
    if ('failure' in outcome) return signal.aborted ? String(signal.reason) : `${outcome.failure} (after ${outcome.attempts} attempts)`
    const { response } = outcome
    await response.body?.cancel()
    if (response.status === 200 || response.status === 204) return undefined
    const wrongStatus = `expected HTTP status code 200 or 204 but got ${response.status}`
    return outcome.isExhausted ? `${wrongStatus} (after ${outcome.attempts} attempts)` : wrongStatus
  }
}
