// Admin token endpoints: POST /admin/oauth2/introspect (RFC 7662), DELETE /admin/oauth2/tokens, POST /admin/oauth2/flush.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { badRequest, invalidRequest } from '../errors/catalogue.js'
import type { Clock } from '../lib/clock.js'
import type { RouteRegistrar } from '../http/route-module.js'
import { parseStrictJson } from '../http/plugins/body-parsers.js'
import { acceptAnyBody, rawBody, readForm } from './form-body.js'
import { flushExpiredTokens } from './janitor.js'
import type { TokensService } from './tokens.service.js'
import type { TokensStore } from './tokens.store.js'

export interface TokensAdminRoutesDeps {
  tokens: TokensService
  store: Pick<TokensStore, 'deleteExpiredBatch'>
  clock: Clock
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

function flushCutoff (body: Buffer | undefined, now: Date): Date {
  if (body === undefined || body.length === 0) return now
  const parsed = parseStrictJson(body) as { notAfter?: unknown } | undefined
  if (parsed === undefined) return now
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('The request body must be a JSON object.')
  const notAfter = parsed.notAfter
  if (notAfter === undefined || notAfter === null || notAfter === '') return now
  if (typeof notAfter !== 'string' || !RFC3339.test(notAfter) || Number.isNaN(Date.parse(notAfter))) {
    throw badRequest('notAfter must be an RFC 3339 date-time.')
  }
  const at = new Date(notAfter)
  return at.getTime() < now.getTime() ? at : now
}

export function tokensAdminRoutes (deps: TokensAdminRoutesDeps): RouteRegistrar {
  const { tokens } = deps
  return (app) => {
    acceptAnyBody(app)

    app.post('/admin/oauth2/introspect', async function introspectOAuth2Token (request: FastifyRequest, reply: FastifyReply) {
      return await reply.type('application/json;charset=UTF-8').send(await tokens.introspect(readForm(request)))
    })

    app.delete('/admin/oauth2/tokens', async function deleteOAuth2Token (request: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply: FastifyReply) {
      const clientId = request.query.client_id
      if (typeof clientId !== 'string' || clientId === '') throw invalidRequest('The client_id query parameter is missing.')
      await tokens.deleteClientAccessTokens(clientId)
      return await reply.code(204).send()
    })

    // The seed's flush endpoint (Hydra v1's POST /oauth2/flush): deletes tokens that expired before notAfter.
    app.post('/admin/oauth2/flush', async function flushInactiveOAuth2Tokens (request: FastifyRequest, reply: FastifyReply) {
      const expiredBefore = flushCutoff(rawBody(request), deps.clock.now())
      await flushExpiredTokens(deps.store, { expiredBefore, limit: Number.MAX_SAFE_INTEGER, batchSize: 100 })
      return await reply.code(204).send()
    })
  }
}
