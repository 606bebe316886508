// Admin API for JWT-bearer trust relationships (/admin/trust/grants/jwt-bearer/issuers), Hydra's operation ids.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../http/route-module.js'
import { paginationLinkHeader } from '../lib/keyset-pagination.js'
import type { TrustService } from './trust.service.js'
import { trustRequestFromWire, trustToWire } from './trust.wire.js'

export interface TrustRoutesDeps {
  trust: TrustService
}

export const TRUST_PATH = '/admin/trust/grants/jwt-bearer/issuers'

type WithId = FastifyRequest<{ Params: { id: string } }>
type ListRequest = FastifyRequest<{ Querystring: Record<string, string | string[] | undefined> }>

/** The first value of a query parameter (Go's url.Values.Get). */
function first (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export function trustAdminRoutes (deps: TrustRoutesDeps): RouteRegistrar {
  const { trust } = deps
  return (app) => {
    app.post(TRUST_PATH, async function trustOAuth2JwtGrantIssuer (request, reply: FastifyReply) {
      const grant = await trust.trustOAuth2JwtGrantIssuer(trustRequestFromWire(request.body))
      // Hydra's Location has no /admin prefix.
      return await reply.code(201).header('location', `/trust/grants/jwt-bearer/issuers/${encodeURIComponent(grant.id)}`).send(trustToWire(grant))
    })

    app.get(TRUST_PATH, async function listTrustedOAuth2JwtGrantIssuers (request: ListRequest, reply: FastifyReply) {
      const query = request.query
      const page = await trust.listTrustedOAuth2JwtGrantIssuers({ issuer: first(query['issuer']), pageSize: first(query['page_size']), pageToken: first(query['page_token']) })
      const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : ''
      void reply.header('link', paginationLinkHeader(TRUST_PATH, new URLSearchParams(rawQuery), page.pageSize, page.firstToken, page.nextToken))
      return page.grants.map(trustToWire)
    })

    app.get(`${TRUST_PATH}/:id`, async function getTrustedOAuth2JwtGrantIssuer (request: WithId) {
      return trustToWire(await trust.getTrustedOAuth2JwtGrantIssuer(request.params.id))
    })

    app.delete(`${TRUST_PATH}/:id`, async function deleteTrustedOAuth2JwtGrantIssuer (request: WithId, reply: FastifyReply) {
      await trust.deleteTrustedOAuth2JwtGrantIssuer(request.params.id)
      return await reply.code(204).send()
    })
  }
}
