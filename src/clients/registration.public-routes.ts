// OpenID Connect Dynamic Client Registration (RFC 7591/7592) on the public listener: /oauth2/register[/{id}].
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../http/route-module.js'
import { OAuth2ClientWire, assertWire, clientDraftFromWire, clientToWire } from './client.wire.js'
import type { ClientResult, ClientsService } from './clients.service.js'

/** A service result as Hydra renders it, with the one-time values (secret, registration token) it carries. */
const resultToWire = (result: ClientResult): OAuth2ClientWire => clientToWire(result.client, result)

export interface RegistrationRoutesDeps {
  clients: ClientsService
}

const IdParams = Type.Object({ id: Type.String() })
type WithId = FastifyRequest<{ Params: { id: string }, Querystring: Record<string, unknown> }>

export const REGISTRATION_PATH = '/oauth2/register'

/** RFC 6750 §2.1 bearer header, or the `access_token` query parameter (§2.3) as fosite also reads it. */
function bearerToken (request: WithId): string {
  const header = request.headers.authorization ?? ''
  const match = /^bearer\s+(.+)$/i.exec(header.trim())
  if (match !== null) return (match[1] as string).trim()
  const fromQuery = request.query.access_token
  return typeof fromQuery === 'string' ? fromQuery : ''
}

export function registrationPublicRoutes (deps: RegistrationRoutesDeps): RouteRegistrar {
  const { clients } = deps
  return (app) => {
    app.post(REGISTRATION_PATH, async function createOidcDynamicClient (request, reply: FastifyReply) {
      // The enabled check comes first so a disabled server answers 404 whatever the body.
      clients.requireDynamicRegistration()
      assertWire(OAuth2ClientWire, request.body)
      const result = await clients.createOidcDynamicClient(clientDraftFromWire(request.body))
      // Hydra's Location here has no leading slash (hydra-api.md §2.6); kept for compatibility.
      return await reply.code(201).header('location', `admin/clients/${encodeURIComponent(result.client.id)}`).send(resultToWire(result))
    })

    app.get(`${REGISTRATION_PATH}/:id`, { schema: { params: IdParams } }, async function getOidcDynamicClient (request: WithId) {
      return resultToWire(await clients.getOidcDynamicClient(request.params.id, bearerToken(request)))
    })

    app.put(`${REGISTRATION_PATH}/:id`, { schema: { params: IdParams } }, async function setOidcDynamicClient (request: WithId) {
      const token = bearerToken(request)
      // Authorise before looking at the body, so strangers learn nothing from validation errors.
      await clients.getOidcDynamicClient(request.params.id, token)
      assertWire(OAuth2ClientWire, request.body)
      return resultToWire(await clients.setOidcDynamicClient(request.params.id, token, clientDraftFromWire(request.body)))
    })

    app.delete(`${REGISTRATION_PATH}/:id`, { schema: { params: IdParams } }, async function deleteOidcDynamicClient (request: WithId, reply: FastifyReply) {
      await clients.deleteOidcDynamicClient(request.params.id, bearerToken(request))
      return await reply.code(204).send()
    })
  }
}
