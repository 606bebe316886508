// GET /.well-known/openid-configuration (discoverOidcConfiguration) and its RFC 8414 alias.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { cachedJsonResponse } from '../lib/cached-json.js'
import type { CachedJson } from '../lib/cached-json.js'
import type { RouteRegistrar } from '../http/route-module.js'

export interface DiscoveryPublicRoutesDeps {
  discovery: { document(): Promise<CachedJson> }
}

export function discoveryPublicRoutes (deps: DiscoveryPublicRoutesDeps): RouteRegistrar {
  const discoverOidcConfiguration = async (request: FastifyRequest, reply: FastifyReply) => {
    const answer = cachedJsonResponse(await deps.discovery.document(), request.headers['if-none-match'])
    return await reply.code(answer.statusCode).headers(answer.headers).send(answer.body)
  }
  return (app) => {
    app.get('/.well-known/openid-configuration', discoverOidcConfiguration)
    // Hydra serves the identical document here (router only, not in its OpenAPI spec).
    app.get('/.well-known/oauth-authorization-server', discoverOidcConfiguration)
  }
}
