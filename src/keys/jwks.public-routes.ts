// GET /.well-known/jwks.json (discoverJsonWebKeys): the published public keys, from a cached buffer with an ETag.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { cachedJsonResponse } from '../lib/cached-json.js'
import type { CachedJson } from '../lib/cached-json.js'
import type { RouteRegistrar } from '../http/route-module.js'

export interface JwksPublicRoutesDeps {
  keys: { publicJwksDocument(): Promise<CachedJson> }
}

export function jwksPublicRoutes (deps: JwksPublicRoutesDeps): RouteRegistrar {
  const discoverJsonWebKeys = async (request: FastifyRequest, reply: FastifyReply) => {
    const answer = cachedJsonResponse(await deps.keys.publicJwksDocument(), request.headers['if-none-match'])
    return await reply.code(answer.statusCode).headers(answer.headers).send(answer.body)
  }
  return (app) => {
    app.get('/.well-known/jwks.json', discoverJsonWebKeys)
  }
}
