// A cookie-jar browser that follows Location headers, and a login/consent app that answers through the admin SDK.
//
//   const warden = await startTestWarden()
//   const client = await createFlowClient(warden)                    // a code-flow client with a fresh redirect URI
//   const { code, redirectUrl, browser } = await runAuthorizationCodeFlow({ warden, client, scope: 'openid offline' })
//
// Lower-level steps for tests that need to stop in the middle:
//   const browser = new Browser()
//   let stop = await browser.navigate(authorizeUrl(warden, client, { scope: 'openid' }), warden)   // → login challenge
//   const redirectTo = await acceptLogin(warden, stop.challenge, { subject: 'alice' })
//   stop = await browser.navigate(redirectTo, warden)                                              // → consent challenge
//   stop = await browser.navigate(await acceptConsent(warden, stop.challenge), warden)              // → client redirect
import { randomBytes } from 'node:crypto'
import { OAuth2Api, type AcceptOAuth2ConsentRequest, type AcceptOAuth2LoginRequest, type OAuth2Client } from '@ory/hydra-client'
import type { TestWarden } from './warden.js'

export interface StoredCookie { name: string, value: string, path: string, attributes: string }

/** Where navigation stopped: at a UI with a challenge, at the client's redirect URI, or at another page. */
export interface Stop {
  kind: 'login' | 'consent' | 'logout' | 'client' | 'other'
  url: string
  /** The login/consent/logout challenge, '' otherwise. */
  challenge: string
  status: number
  /** Final response (the page that was not a redirect, or the last redirect's target is `url`). */
  response: Response
  /** For `client` stops: the query (or fragment, or form_post fields) the client received. */
  params: URLSearchParams
  hops: number
}

/** A minimal browser: one cookie jar (by name; paths ignored apart from being recorded), redirects followed by hand. */
export class Browser {
  readonly cookies = new Map<string, StoredCookie>()

  cookieHeader (): string {
    return [...this.cookies.values()].map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
  }

  /** Every Set-Cookie header of `response`, applied to the jar (Max-Age ≤ 0 deletes). */
  store (response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...rest] = line.split(';')
      const equals = pair.indexOf('=')
      const name = pair.slice(0, equals).trim()
      const value = pair.slice(equals + 1).trim()
      const attributes = rest.join(';')
      const maxAge = /max-age=(-?\d+)/i.exec(attributes)?.[1]
      if (maxAge !== undefined && Number(maxAge) <= 0) this.cookies.delete(name)
      else this.cookies.set(name, { name, value, path: /path=([^;]*)/i.exec(attributes)?.[1] ?? '/', attributes })
    }
  }

  async request (url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader())
    const response = await fetch(url, { ...init, headers, redirect: 'manual' })
    this.store(response)
    return response
  }

  /** Follows redirects while they stay on Warden's public URL; stops at a challenge, the client, or a page. */
  async navigate (url: string, warden: Pick<TestWarden, 'publicUrl'>, init: RequestInit = {}, maxHops = 10): Promise<Stop> {
    let current = url
    let response = await this.request(current, init)
    let hops = 0
    for (;;) {
      const location = response.headers.get('location')
      if (location === null || response.status < 300 || response.status > 399) break
      await response.arrayBuffer()
      current = new URL(location, current).toString()
      const stop = classify(current)
      if (stop !== 'other' || !current.startsWith(warden.publicUrl) || hops >= maxHops) {
        return { ...stopAt(current, stop), status: response.status, response, hops: hops + 1 }
      }
      hops++
      response = await this.request(current)
    }
    const params = response.headers.get('content-type')?.startsWith('text/html') === true ? await formPostFields(response) : new URLSearchParams()
    return { kind: params.size > 0 ? 'client' : 'other', url: current, challenge: '', status: response.status, response, params, hops }
  }
}

function classify (url: string): Stop['kind'] {
  const { searchParams } = new URL(url)
  if (searchParams.has('login_challenge')) return 'login'
  if (searchParams.has('consent_challenge')) return 'consent'
  if (searchParams.has('logout_challenge')) return 'logout'
  if (searchParams.has('code') || searchParams.has('error') || new URL(url).hash.length > 1) return 'client'
  return 'other'
}

function stopAt (url: string, kind: Stop['kind']): Pick<Stop, 'kind' | 'url' | 'challenge' | 'params'> {
  const parsed = new URL(url)
  const challenge = parsed.searchParams.get(`${kind}_challenge`) ?? ''
  const params = parsed.hash.length > 1 ? new URLSearchParams(parsed.hash.slice(1)) : parsed.searchParams
  // The error page of Warden itself is not the client: keep its kind but expose its query.
  return { kind: parsed.pathname.endsWith('/oauth2/fallbacks/error') ? 'other' : kind, url, challenge, params }
}

async function formPostFields (response: Response): Promise<URLSearchParams> {
  const html = await response.text()
  const fields = new URLSearchParams()
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.append(decodeEntities(match[1] ?? ''), decodeEntities(match[2] ?? ''))
  }
  return fields
}

const decodeEntities = (text: string): string => text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)))

export const adminApi = (warden: Pick<TestWarden, 'adminSdk'>): OAuth2Api => new OAuth2Api(warden.adminSdk)

/** Creates a client able to run the code flow; `redirect_uris[0]` is where codes go. */
export async function createFlowClient (warden: Pick<TestWarden, 'adminSdk'>, overrides: Partial<OAuth2Client> = {}): Promise<OAuth2Client> {
  const { data } = await adminApi(warden).createOAuth2Client({
    oAuth2Client: {
      client_name: 'flow test client',
      redirect_uris: ['http://127.0.0.1:5555/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline offline_access profile email',
      post_logout_redirect_uris: ['http://127.0.0.1:5555/logged-out'],
      ...overrides
    }
  })
  return data
}

export const randomState = (): string => randomBytes(12).toString('hex')

/** `<public>/oauth2/auth?...` for `client` with a random state; `params` add or override parameters. */
export function authorizeUrl (warden: Pick<TestWarden, 'publicUrl'>, client: OAuth2Client, params: Record<string, string> = {}): string {
  const url = new URL('oauth2/auth', warden.publicUrl)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', client.client_id ?? '')
  url.searchParams.set('redirect_uri', client.redirect_uris?.[0] ?? '')
  url.searchParams.set('state', randomState())
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return url.toString()
}

export async function acceptLogin (warden: Pick<TestWarden, 'adminSdk'>, challenge: string, body: AcceptOAuth2LoginRequest): Promise<string> {
  const { data } = await adminApi(warden).acceptOAuth2LoginRequest({ loginChallenge: challenge, acceptOAuth2LoginRequest: body })
  return data.redirect_to
}

/** Grants what was requested unless `body` says otherwise. */
export async function acceptConsent (warden: Pick<TestWarden, 'adminSdk'>, challenge: string, body: AcceptOAuth2ConsentRequest = {}): Promise<string> {
  const api = adminApi(warden)
  const { data: consent } = await api.getOAuth2ConsentRequest({ consentChallenge: challenge })
  const { data } = await api.acceptOAuth2ConsentRequest({
    consentChallenge: challenge,
    acceptOAuth2ConsentRequest: {
      grant_scope: consent.requested_scope ?? [],
      grant_access_token_audience: consent.requested_access_token_audience ?? [],
      ...body
    }
  })
  return data.redirect_to
}

export interface CodeFlowOptions {
  warden: TestWarden
  client: OAuth2Client
  scope?: string
  /** Extra or overriding /oauth2/auth parameters (nonce, code_challenge, prompt, ...). */
  params?: Record<string, string>
  /** Reuse a browser (its cookies) across flows; a new one by default. */
  browser?: Browser
  subject?: string
  login?: Omit<AcceptOAuth2LoginRequest, 'subject'>
  consent?: AcceptOAuth2ConsentRequest
}

export interface CodeFlowResult {
  code: string
  state: string
  /** The client redirect the browser ended at. */
  redirectUrl: string
  /** What the client received (code, scope, state, ...). */
  params: URLSearchParams
  browser: Browser
  cookies: Map<string, StoredCookie>
  /** Whether login / consent were offered as skippable. */
  loginSkipped: boolean
  consentSkipped: boolean
}

/** The whole dance: authorize → login accept → consent accept → the client redirect with a code. */
export async function runAuthorizationCodeFlow (options: CodeFlowOptions): Promise<CodeFlowResult> {
  const { warden, client } = options
  const browser = options.browser ?? new Browser()
  const api = adminApi(warden)
  const state = options.params?.state ?? randomState()
  const url = authorizeUrl(warden, client, { scope: options.scope ?? 'openid', state, ...options.params })
  let stop = await browser.navigate(url, warden)
  if (stop.kind !== 'login') throw new Error(`expected the login UI, got ${stop.kind} at ${stop.url}`)
  const { data: login } = await api.getOAuth2LoginRequest({ loginChallenge: stop.challenge })
  const subject = login.skip ? login.subject : options.subject ?? 'alice@example.com'
  stop = await browser.navigate(await acceptLogin(warden, stop.challenge, { ...options.login, subject }), warden)
  if (stop.kind !== 'consent') throw new Error(`expected the consent UI, got ${stop.kind} at ${stop.url} (${stop.params.toString()})`)
  const { data: consent } = await api.getOAuth2ConsentRequest({ consentChallenge: stop.challenge })
  stop = await browser.navigate(await acceptConsent(warden, stop.challenge, options.consent), warden)
  const code = stop.params.get('code')
  if (stop.kind !== 'client' || code === null) throw new Error(`expected a code at the client, got ${stop.url} (${stop.params.toString()})`)
  return {
    code,
    state,
    redirectUrl: stop.url,
    params: stop.params,
    browser,
    cookies: browser.cookies,
    loginSkipped: login.skip === true,
    consentSkipped: consent.skip === true
  }
}

/** POST /oauth2/token for a code of `client` (client_secret_basic); returns the JSON body and status. */
export async function exchangeCode (warden: Pick<TestWarden, 'publicUrl'>, client: OAuth2Client, code: string, extra: Record<string, string> = {}): Promise<{ status: number, body: Record<string, unknown> }> {
  const response = await fetch(new URL('oauth2/token', warden.publicUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.client_id ?? '')}:${encodeURIComponent(client.client_secret ?? '')}`).toString('base64')}`
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirect_uris?.[0] ?? '', ...extra })
  })
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}
