// The reference login/consent/logout app: a small node:http server that talks to Warden only through the admin API.
//
//   const ui = await startLoginUi({ port: 3000, adminUrl: 'http://127.0.0.1:4445/', publicUrl: 'http://127.0.0.1:4444/' })
//   ... Warden's urls.login = `${ui.url}login`, urls.consent = `${ui.url}consent`, urls.logout = `${ui.url}logout`
//   await ui.close()
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AdminApi } from './admin-api.js'
import { Csrf, CSRF_COOKIE, csrfCookieHeader } from './csrf.js'
import { errorPage, homePage, signedOutPage } from './pages.js'
import { STYLESHEET } from './stylesheet.js'
import { missingChallenge, UiSteps, type Outcome, type StepInput } from './ui-handlers.js'
import { loadUserStore, type UserStore } from './users.js'

export interface LoginUiOptions {
  /** TCP port; 0 picks a free one. */
  port: number
  /** Interface to bind; default 127.0.0.1 (a demo app has no business on other interfaces). */
  host?: string
  /** Warden's admin API, e.g. http://127.0.0.1:4445/ */
  adminUrl: string
  /** Warden's public URL, for the "sign out" link on the home page. */
  publicUrl?: string
  /** A YAML/JSON users file; default: foo@bar.com / foobar. */
  usersFile?: string
  /** Or the store itself (tests). */
  users?: UserStore
  rememberForSeconds?: number
  /**
   * HMAC key of the CSRF tokens; random per process by default. Processes serving one port together
   * (node:cluster workers) must share it, or a form shown by one would be refused by another.
   */
  csrfKey?: Buffer
  /** Called for unexpected failures (a bug, not a user mistake). */
  onError?: (error: unknown) => void
}

export interface RunningLoginUi {
  /** http://<host>:<port>/ */
  url: string
  port: number
  close(): Promise<void>
}

/** The port is taken; the CLI turns this into a message naming the key and flag that change it. */
export class UiPortInUseError extends Error {
  readonly port: number
  constructor (port: number, host: string) {
    super(`port ${port} on ${host} is already in use`)
    this.name = 'UiPortInUseError'
    this.port = port
  }
}

const MAX_BODY_BYTES = 64 * 1024

// No scripts at all; styles only from /ui.css. form-action is left out on purpose: browsers apply it to the
// redirects after a submit, which lead to Warden and then to any client's redirect URI.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Challenges travel in URLs: never hand them to another site in a Referer header.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store'
}

function cookieOf (request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

async function readForm (request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('form too large')
    chunks.push(chunk as Buffer)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function send (response: ServerResponse, outcome: Outcome, setCookie: string | undefined): void {
  const headers: Record<string, string> = { ...SECURITY_HEADERS, ...(setCookie === undefined ? {} : { 'set-cookie': setCookie }) }
  if (outcome.kind === 'redirect') {
    response.writeHead(outcome.status, { ...headers, location: outcome.location }).end()
    return
  }
  response.writeHead(outcome.status, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(outcome.html)
}

const STEP_PATHS = new Set(['/login', '/consent', '/logout'])

export function createLoginUiHandler (steps: UiSteps, csrf: Csrf, publicUrl: string | undefined) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://ui.invalid')
    const method = request.method ?? 'GET'
    if (method === 'GET' && url.pathname === '/ui.css') {
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }).end(STYLESHEET)
      return
    }
    if (method === 'GET' && url.pathname === '/') return send(response, { kind: 'page', status: 200, html: homePage(publicUrl) }, undefined)
    if (method === 'GET' && url.pathname === '/signed-out') return send(response, { kind: 'page', status: 200, html: signedOutPage() }, undefined)
    if (method === 'GET' && url.pathname === '/error') {
      const title = url.searchParams.get('error') ?? 'Something went wrong'
      const message = url.searchParams.get('error_description') ?? 'The request could not be completed.'
      return send(response, { kind: 'page', status: 400, html: errorPage({ title, message }) }, undefined)
    }
    if (!STEP_PATHS.has(url.pathname) || (method !== 'GET' && method !== 'POST')) {
      return send(response, { kind: 'page', status: 404, html: errorPage({ title: 'Page not found', message: `There is no page at ${url.pathname}.` }) }, undefined)
    }
    const kind = url.pathname.slice(1) as 'login' | 'consent' | 'logout'
    const form = method === 'POST' ? await readForm(request) : new URLSearchParams()
    const challenge = (method === 'POST' ? form.get('challenge') : url.searchParams.get(`${kind}_challenge`)) ?? ''
    if (challenge === '') return send(response, missingChallenge(kind), undefined)
    const presentedCookie = cookieOf(request, CSRF_COOKIE)
    const cookie = csrf.cookieFor(presentedCookie)
    const input: StepInput = { challenge, csrfCookie: cookie.value, presentedCookie, form }
    const outcome = method === 'GET'
      ? await (kind === 'login' ? steps.showLogin(input) : kind === 'consent' ? steps.showConsent(input) : steps.showLogout(input))
      : await (kind === 'login' ? steps.submitLogin(input) : kind === 'consent' ? steps.submitConsent(input) : steps.submitLogout(input))
    send(response, outcome, cookie.isNew ? csrfCookieHeader(cookie.value) : undefined)
  }
}

function listen (server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? new UiPortInUseError(port, host) : error)
    }
    server.once('error', onError)
    server.listen(port, host, () => { server.off('error', onError); resolve() })
  })
}

export async function startLoginUi (options: LoginUiOptions): Promise<RunningLoginUi> {
  const host = options.host ?? '127.0.0.1'
  const csrf = new Csrf(options.csrfKey)
  const users = options.users ?? await loadUserStore(options.usersFile)
  const steps = new UiSteps({ admin: new AdminApi(options.adminUrl), users, csrf, rememberForSeconds: options.rememberForSeconds ?? 3600 }, options.adminUrl)
  const handler = createLoginUiHandler(steps, csrf, options.publicUrl)
  const server = createServer((request, response) => {
    handler(request, response).catch((error: unknown) => {
      options.onError?.(error)
      if (!response.headersSent) {
        send(response, { kind: 'page', status: 500, html: errorPage({ title: 'Something went wrong', message: 'The login app failed unexpectedly; see its log.' }) }, undefined)
      } else {
        response.destroy()
      }
    })
  })
  await listen(server, options.port, host)
  const { port } = server.address() as AddressInfo
  const name = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${name}:${port}/`,
    port,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
