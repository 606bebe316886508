// The UI's only link to Warden: Hydra's admin API for login, consent and logout requests, over plain HTTP (fetch).
const REQUESTS = 'admin/oauth2/auth/requests'
const TIMEOUT_MS = 10_000

/** One admin API exchange, kept whole so pages can show it in their "what just happened" panel. */
export interface Exchange<T> {
  method: string
  /** Path and query, e.g. `/admin/oauth2/auth/requests/login?login_challenge=…` */
  path: string
  status: number
  body: T
  /** The response text exactly as received. */
  text: string
}

export class AdminApiFailure extends Error {
  readonly exchange: Exchange<unknown>
  constructor (exchange: Exchange<unknown>) {
    super(`${exchange.method} ${exchange.path.split('?')[0] ?? ''} answered HTTP ${exchange.status}`)
    this.name = 'AdminApiFailure'
    this.exchange = exchange
  }

  /** The `error_description` (or `error`) of Hydra's error body, if any. */
  get description (): string {
    const body = this.exchange.body as { error?: unknown, error_description?: unknown } | undefined
    const text = body?.error_description ?? body?.error
    return typeof text === 'string' ? text : ''
  }
}

export type Kind = 'login' | 'consent' | 'logout'

export interface RedirectTo { redirect_to: string }

/** Minimal shapes of Hydra's payloads (hydra-api.md §1.4); the UI reads only these fields. */
export interface OAuth2Client { client_id: string, client_name?: string, skip_consent?: boolean, skip_logout_consent?: boolean, logo_uri?: string, client_uri?: string, policy_uri?: string, tos_uri?: string }
export interface LoginRequest { challenge: string, skip: boolean, subject: string, client: OAuth2Client, requested_scope?: string[], oidc_context?: { login_hint?: string } }
export interface ConsentRequest { challenge: string, skip?: boolean, subject?: string, client?: OAuth2Client, requested_scope?: string[], requested_access_token_audience?: string[] }
export interface LogoutRequest { challenge: string, subject?: string, sid?: string, rp_initiated?: boolean, client?: OAuth2Client | null }

export class AdminApi {
  private readonly base: URL

  constructor (adminUrl: string) {
    this.base = new URL(adminUrl.endsWith('/') ? adminUrl : `${adminUrl}/`)
  }

  private async send<T> (method: string, path: string, body?: unknown): Promise<Exchange<T>> {
    const url = new URL(path, this.base)
    const response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS)
    })
    const text = await response.text()
    let parsed: unknown
    try { parsed = text === '' ? undefined : JSON.parse(text) } catch { parsed = text }
    const exchange: Exchange<T> = { method, path: `/${path}`, status: response.status, body: parsed as T, text }
    if (!response.ok) throw new AdminApiFailure(exchange)
    return exchange
  }

  private query (kind: Kind, challenge: string): string {
    return `${kind}_challenge=${encodeURIComponent(challenge)}`
  }

  async get<T> (kind: Kind, challenge: string): Promise<Exchange<T>> {
    return await this.send<T>('GET', `${REQUESTS}/${kind}?${this.query(kind, challenge)}`)
  }

  async accept (kind: Kind, challenge: string, body?: unknown): Promise<Exchange<RedirectTo>> {
    return await this.send<RedirectTo>('PUT', `${REQUESTS}/${kind}/accept?${this.query(kind, challenge)}`, body ?? (kind === 'logout' ? undefined : {}))
  }

  /** Login/consent reject return `{redirect_to}`; logout reject returns 204 and no body. */
  async reject (kind: Kind, challenge: string, body?: unknown): Promise<Exchange<RedirectTo | undefined>> {
    return await this.send<RedirectTo | undefined>('PUT', `${REQUESTS}/${kind}/reject?${this.query(kind, challenge)}`, body)
  }
}
