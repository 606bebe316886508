// GET /admin/openapi.json (also /openapi.json through the admin prefix rewrite): the OpenAPI document, serialised once.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { cachedJsonResponse, toCachedJson } from '../lib/cached-json.js'
import type { RouteRegistrar } from './route-module.js'

export const OPENAPI_PATH = '/admin/openapi.json'

export function openApiAdminRoutes (document: unknown): RouteRegistrar {
  const cached = toCachedJson(document)
  return (app) => {
    app.get(OPENAPI_PATH, async function getOpenApiDocument (request: FastifyRequest, reply: FastifyReply) {
      const answer = cachedJsonResponse(cached, request.headers['if-none-match'])
      return await reply.code(answer.statusCode).headers(answer.headers).send(answer.body)
    })
  }
}
