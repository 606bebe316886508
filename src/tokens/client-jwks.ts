// Fetches a client's jwks_uri for private_key_jwt: bounded in time and size, cached, refetched on an unknown kid.
import type { Clock } from '../lib/clock.js'
import { BodyTooLargeError, readBodyCapped } from '../lib/outgoing-http.js'

export interface JwksFetcherOptions {
  clock: Clock
  timeoutMs?: number
  maxBytes?: number
  cacheTtlMs?: number
  /** Replaceable for tests; defaults to global fetch. */
  fetch?: typeof fetch
}

export interface KeySetDocument { keys: Array<Record<string, unknown>> }

interface Entry { document: KeySetDocument, fetchedAtMs: number }

export class JwksFetcher {
  private readonly entries = new Map<string, Entry>()
  private readonly clock: Clock
  private readonly timeoutMs: number
  private readonly maxBytes: number
  private readonly ttlMs: number
  private readonly fetchFn: typeof fetch

  constructor (options: JwksFetcherOptions) {
    this.clock = options.clock
    this.timeoutMs = options.timeoutMs ?? 5000
    this.maxBytes = options.maxBytes ?? 512 * 1024
    this.ttlMs = options.cacheTtlMs ?? 5 * 60_000
    this.fetchFn = options.fetch ?? fetch
  }

  /**
   * The key set at `uri`. A cached copy serves while fresh unless it lacks `kid`; a key the client rotated in
   * is then picked up at most once per second per URI, so a bad kid cannot turn into a fetch per request.
   */
  async get (uri: string, kid: string | undefined): Promise<KeySetDocument> {
    const nowMs = this.clock.now().getTime()
    const cached = this.entries.get(uri)
    const isFresh = cached !== undefined && nowMs - cached.fetchedAtMs < this.ttlMs
    const hasKid = kid === undefined || cached?.document.keys.some((key) => key['kid'] === kid) === true
    if (cached !== undefined && isFresh && (hasKid || nowMs - cached.fetchedAtMs < 1000)) return cached.document
    const document = await this.download(uri)
    this.entries.set(uri, { document, fetchedAtMs: nowMs })
    return document
  }

  private async download (uri: string): Promise<KeySetDocument> {
    const response = await this.fetchFn(uri, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error', headers: { accept: 'application/json' } })
    if (!response.ok || response.body === null) throw new Error(`jwks_uri answered HTTP ${response.status}`)
    let bytes: Buffer
    try {
      bytes = await readBodyCapped(response, this.maxBytes)
    } catch (error) {
      throw error instanceof BodyTooLargeError ? new Error(`jwks_uri document exceeds ${this.maxBytes} bytes`) : error
    }
    const parsed = JSON.parse(bytes.toString('utf8')) as unknown
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys)) {
      throw new Error('jwks_uri did not return a JSON Web Key Set')
    }
    return parsed as KeySetDocument
  }
}
