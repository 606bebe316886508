// GET|POST /oauth2/auth on the public port; thin over AuthorizeService, plus the shared outcome → reply mapping.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { invalidRequest } from '../errors/catalogue.js'
import type { FormBody } from '../http/plugins/body-parsers.js'
import type { RouteRegistrar } from '../http/route-module.js'
import { UnreadableParamsError, mergeParams, paramsFromForm, parseQueryString } from './authorize-params.js'
import type { AuthorizeService } from './authorize.service.js'
import type { BrowserOutcome } from './browser-outcome.js'
import { parseCookieHeader } from './flow-cookies.js'
import type { BrowserRequest } from './flows.deps.js'

export function rawQueryOf (request: FastifyRequest): string {
  const start = request.url.indexOf('?')
  return start === -1 ? '' : request.url.slice(start + 1)
}

/** Query (and, for POST, form body) parameters plus cookies; unreadable input is a plain 400. */
export function browserRequestOf (request: FastifyRequest): BrowserRequest {
  let params: Map<string, string[]>
  try {
    params = parseQueryString(rawQueryOf(request))
  } catch (error) {
    if (error instanceof UnreadableParamsError) throw invalidRequest(error.message)
    throw error
  }
  const body = request.body
  const isForm = (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')
  if (request.method === 'POST' && isForm && typeof body === 'object' && body !== null && !Array.isArray(body)) {
    params = mergeParams(params, paramsFromForm(body as FormBody))
  }
  return { params, cookies: parseCookieHeader(request.headers.cookie), host: request.headers.host }
}

export async function sendOutcome (reply: FastifyReply, outcome: BrowserOutcome): Promise<FastifyReply> {
  if (outcome.cookies.length > 0) void reply.header('set-cookie', outcome.cookies)
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache').header('referrer-policy', 'no-referrer')
  if (outcome.kind === 'redirect') return await reply.code(outcome.status).header('location', outcome.location).send()
  return await reply.code(outcome.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', outcome.contentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .send(outcome.body)
}

export function authorizePublicRoutes (deps: { authorize: AuthorizeService }): RouteRegistrar {
  return (app) => {
    const handler = async function oAuth2Authorize (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
      return await sendOutcome(reply, await deps.authorize.authorize(browserRequestOf(request)))
    }
    app.get('/oauth2/auth', handler)
    app.post('/oauth2/auth', handler)
  }
}
