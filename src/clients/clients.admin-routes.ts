// Admin API for OAuth 2.0 clients (/admin/clients...), Hydra's operation ids; thin over ClientsService.
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../http/route-module.js'
import { paginationLinkHeader } from '../lib/keyset-pagination.js'
import { JsonPatchWire, LifespansWire, OAuth2ClientWire, assertWire, clientDraftFromWire, clientToWire, lifespansFromWire } from './client.wire.js'
import type { ClientResult, ClientsService } from './clients.service.js'

/** A service result as Hydra renders it, with the one-time values (secret, registration token) it carries. */
const resultToWire = (result: ClientResult): OAuth2ClientWire => clientToWire(result.client, result)

export interface ClientsRoutesDeps {
  clients: ClientsService
}

const IdParams = Type.Object({ id: Type.String() })
// Bodies are checked by assertWire, not by fastify's schema compiler, whose type coercion would turn
// `"client_name": 1` into "1" and a lone string into a list: Hydra rejects both.
const ListQuery = Type.Object({
  page_size: Type.Optional(Type.String()),
  page_token: Type.Optional(Type.String()),
  client_name: Type.Optional(Type.String()),
  owner: Type.Optional(Type.String())
}, { additionalProperties: true })

type WithId = FastifyRequest<{ Params: { id: string } }>
type ListRequest = FastifyRequest<{ Querystring: Record<string, string | string[] | undefined> }>

/** The first value of a query parameter (Go's url.Values.Get). */
function first (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export const CLIENTS_PATH = '/admin/clients'

export function clientsAdminRoutes (deps: ClientsRoutesDeps): RouteRegistrar {
  const { clients } = deps
  return (app) => {
    app.get(CLIENTS_PATH, { schema: { querystring: ListQuery } }, async function listOAuth2Clients (request: ListRequest, reply: FastifyReply) {
      const query = request.query
      const page = await clients.listOAuth2Clients({
        name: first(query.client_name),
        owner: first(query.owner),
        pageSize: first(query.page_size),
        pageToken: first(query.page_token)
      })
      const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : ''
      void reply.header('link', paginationLinkHeader(CLIENTS_PATH, new URLSearchParams(rawQuery), page.pageSize, page.firstToken, page.nextToken))
      return page.clients.map((client) => clientToWire(client))
    })

    app.post(CLIENTS_PATH, async function createOAuth2Client (request, reply) {
      assertWire(OAuth2ClientWire, request.body)
      const result = await clients.createOAuth2Client(clientDraftFromWire(request.body))
      return await reply.code(201).header('location', `${CLIENTS_PATH}/${encodeURIComponent(result.client.id)}`).send(resultToWire(result))
    })

    app.get(`${CLIENTS_PATH}/:id`, { schema: { params: IdParams } }, async function getOAuth2Client (request: WithId) {
      return clientToWire(await clients.getOAuth2Client(request.params.id))
    })

    app.put(`${CLIENTS_PATH}/:id`, { schema: { params: IdParams } }, async function setOAuth2Client (request: WithId) {
      assertWire(OAuth2ClientWire, request.body)
      return resultToWire(await clients.setOAuth2Client(request.params.id, clientDraftFromWire(request.body)))
    })

    app.patch(`${CLIENTS_PATH}/:id`, { schema: { params: IdParams } }, async function patchOAuth2Client (request: WithId) {
      assertWire(JsonPatchWire, request.body, 'the JSON Patch document')
      return resultToWire(await clients.patchOAuth2Client(request.params.id, request.body))
    })

    app.delete(`${CLIENTS_PATH}/:id`, { schema: { params: IdParams } }, async function deleteOAuth2Client (request: WithId, reply: FastifyReply) {
      await clients.deleteOAuth2Client(request.params.id)
      return await reply.code(204).send()
    })

    app.put(`${CLIENTS_PATH}/:id/lifespans`, { schema: { params: IdParams } }, async function setOAuth2ClientLifespans (request: WithId) {
      assertWire(LifespansWire, request.body)
      return resultToWire(await clients.setOAuth2ClientLifespans(request.params.id, lifespansFromWire(request.body)))
    })

    app.post(`${CLIENTS_PATH}/:id/secrets/rotate`, { schema: { params: IdParams } }, async function rotateOAuth2ClientSecret (request: WithId) {
      return resultToWire(await clients.rotateOAuth2ClientSecret(request.params.id))
    })

    app.delete(`${CLIENTS_PATH}/:id/secrets/rotate`, { schema: { params: IdParams } }, async function deleteRotatedOAuth2ClientSecrets (request: WithId) {
      return resultToWire(await clients.deleteRotatedOAuth2ClientSecrets(request.params.id))
    })
  }
}
