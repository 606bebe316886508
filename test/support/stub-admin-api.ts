// A tiny stand-in for Hydra's admin API (login/consent/logout requests only), for testing login apps without Warden.
//
//   const admin = await startStubAdminApi({ login: { C1: loginRequest({ skip: false }) } })
//   ... point the app at admin.url; admin.calls lists every request with its parsed JSON body
//   await admin.close()
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StubCall { method: string, path: string, query: URLSearchParams, body: unknown }

/** Per challenge: the object GET returns, or `{ status, body }` to answer with an error. */
export type StubAnswer = Record<string, unknown> | { status: number, body: unknown }

export interface StubAdminApi {
  url: string
  calls: StubCall[]
  close(): Promise<void>
}

export interface StubRequests {
  login?: Record<string, StubAnswer>
  consent?: Record<string, StubAnswer>
  logout?: Record<string, StubAnswer>
}

export const stubClient = (overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ client_id: 'client-1', client_name: 'Demo <App>', skip_consent: false, ...overrides })

export const loginRequest = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  challenge: 'ignored', requested_scope: ['openid', 'offline'], requested_access_token_audience: [], skip: false, subject: '',
  oidc_context: {}, client: stubClient(), request_url: 'http://127.0.0.1:4444/oauth2/auth?client_id=client-1', session_id: 'sid-1', ...overrides
})

export const consentRequest = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  challenge: 'ignored', consent_request_id: 'c-1', requested_scope: ['openid', 'offline', 'email'], requested_access_token_audience: ['https://api.example.com'],
  skip: false, subject: 'foo@bar.com', client: stubClient(), request_url: 'http://127.0.0.1:4444/oauth2/auth', login_challenge: 'l', login_session_id: 'sid-1', ...overrides
})

export const logoutRequest = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  challenge: 'ignored', subject: 'foo@bar.com', sid: 'sid-1', request_url: 'http://127.0.0.1:4444/oauth2/sessions/logout', rp_initiated: false, client: null, ...overrides
})

async function readJson (request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text === '' ? undefined : JSON.parse(text) as unknown
}

const isErrorAnswer = (answer: StubAnswer): answer is { status: number, body: unknown } => typeof answer.status === 'number' && 'body' in answer

export async function startStubAdminApi (requests: StubRequests): Promise<StubAdminApi> {
  const calls: StubCall[] = []
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://stub')
      const body = await readJson(request)
      calls.push({ method: request.method ?? '', path: url.pathname, query: url.searchParams, body })
      const match = /^\/admin\/oauth2\/auth\/requests\/(login|consent|logout)(?:\/(accept|reject))?$/.exec(url.pathname)
      const reply = (status: number, value: unknown): void => {
        if (value === undefined) { response.writeHead(status).end(); return }
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
      }
      if (match === null) return reply(404, { error: 'Not Found', error_description: 'no such route' })
      const kind = match[1] as 'login' | 'consent' | 'logout'
      const challenge = url.searchParams.get(`${kind}_challenge`) ?? ''
      const answer = requests[kind]?.[challenge]
      if (answer === undefined) return reply(404, { error: 'Not Found', error_description: 'Unable to locate the resource' })
      if (isErrorAnswer(answer)) return reply(answer.status, answer.body)
      if (match[2] === undefined) return reply(200, { ...answer, challenge })
      if (kind === 'logout' && match[2] === 'reject') return reply(204, undefined)
      const verifier = `${kind === 'logout' ? 'logout' : kind}_verifier=${match[2]}-${challenge}`
      return reply(200, { redirect_to: `http://127.0.0.1:4444/oauth2/auth?${verifier}` })
    })().catch(() => { response.writeHead(500).end() })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    close: async () => { server.closeAllConnections(); await new Promise<void>((resolve) => server.close(() => resolve())) }
  }
}
