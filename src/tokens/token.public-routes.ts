// Public token endpoints: POST /oauth2/token (RFC 6749 §3.2) and POST /oauth2/revoke (RFC 7009).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../http/route-module.js'
import { acceptAnyBody, noStore, readForm } from './form-body.js'
import type { TokensService } from './tokens.service.js'

export interface TokenRoutesDeps {
  tokens: TokensService
}

export function tokenPublicRoutes (deps: TokenRoutesDeps): RouteRegistrar {
  const { tokens } = deps
  return (app) => {
    acceptAnyBody(app)
    // Set before anything can fail, so error responses carry them too.
    app.addHook('onRequest', async (_request, reply) => { noStore(reply) })

    app.post('/oauth2/token', async function oauth2TokenExchange (request: FastifyRequest, reply: FastifyReply) {
      const response = await tokens.exchange(readForm(request), request.headers.authorization)
      return await reply.type('application/json;charset=UTF-8').send(response)
    })

    app.post('/oauth2/revoke', async function revokeOAuth2Token (request: FastifyRequest, reply: FastifyReply) {
      await tokens.revoke(readForm(request), request.headers.authorization)
      return await reply.code(200).send()
    })
  }
}
