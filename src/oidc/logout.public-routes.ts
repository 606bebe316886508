// GET|POST /oauth2/sessions/logout (OIDC RP-Initiated Logout 1.0) on the public port; thin over LogoutService.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { browserRequestOf, rawQueryOf, sendOutcome } from '../flows/authorize.public-routes.js'
import type { LogoutService } from '../flows/logout.service.js'
import type { RouteRegistrar } from '../http/route-module.js'
import { encodeParams } from '../flows/authorize-params.js'

export function logoutPublicRoutes (deps: { logout: LogoutService }): RouteRegistrar {
  return (app) => {
    const handler = async function revokeOidcSession (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
      const input = browserRequestOf(request)
      const rawQuery = request.method === 'POST' ? encodeParams(input.params) : rawQueryOf(request)
      return await sendOutcome(reply, await deps.logout.logout(input, rawQuery))
    }
    app.get('/oauth2/sessions/logout', handler)
    app.post('/oauth2/sessions/logout', handler)
  }
}
