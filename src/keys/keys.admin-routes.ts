// Admin API for JSON Web Key sets (hydra-api.md §1.3): handlers named after Hydra's operationIds.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { badRequest } from '../errors/catalogue.js'
import { joinUrl } from '../config/urls.js'
import type { RouteRegistrar } from '../http/route-module.js'
import type { CreateKeyInput, KeysService } from './keys.service.js'

export interface KeysAdminRoutesDeps {
  keys: KeysService
  /** `urls.self.issuer`: Hydra answers createJsonWebKeySet with `Location: <issuer>/keys/<set>`. */
  issuerUrl: string
}

type SetRequest = FastifyRequest<{ Params: { set: string } }>
type KeyRequest = FastifyRequest<{ Params: { set: string, kid: string } }>

/** createJsonWebKeySet body: `{ alg, use?, kid? }`; Hydra answers an undecodable body with a generic 400. */
function readCreateBody (body: unknown): CreateKeyInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('Unable to decode the request body: expected a JSON object with "alg", "use" and "kid".')
  }
  const { alg, use, kid } = body as Record<string, unknown>
  for (const [name, value] of [['alg', alg], ['use', use], ['kid', kid]] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string') throw badRequest(`Unable to decode the request body: field ${name} must be a string.`)
  }
  return {
    alg: typeof alg === 'string' ? alg : '',
    ...(typeof use === 'string' ? { use } : {}),
    ...(typeof kid === 'string' ? { kid } : {})
  }
}

export function keysAdminRoutes (deps: KeysAdminRoutesDeps): RouteRegistrar {
  const { keys } = deps

  const createJsonWebKeySet = async (request: SetRequest, reply: FastifyReply) => {
    const { set } = request.params
    const created = await keys.createKey(set, readCreateBody(request.body))
    return await reply.code(201).header('location', joinUrl(deps.issuerUrl, `keys/${encodeURIComponent(set)}`)).send({ keys: created })
  }
  const getJsonWebKeySet = async (request: SetRequest) => ({ keys: await keys.getKeySet(request.params.set) })
  const setJsonWebKeySet = async (request: SetRequest) => ({ keys: await keys.setKeySet(request.params.set, request.body) })
  const deleteJsonWebKeySet = async (request: SetRequest, reply: FastifyReply) => {
    await keys.deleteKeySet(request.params.set)
    return await reply.code(204).send()
  }
  const getJsonWebKey = async (request: KeyRequest) => ({ keys: await keys.getKey(request.params.set, request.params.kid) })
  const setJsonWebKey = async (request: KeyRequest) => await keys.setKey(request.params.set, request.params.kid, request.body)
  const deleteJsonWebKey = async (request: KeyRequest, reply: FastifyReply) => {
    await keys.deleteKey(request.params.set, request.params.kid)
    return await reply.code(204).send()
  }

  return (app) => {
    app.post('/admin/keys/:set', createJsonWebKeySet)
    app.get('/admin/keys/:set', getJsonWebKeySet)
    app.put('/admin/keys/:set', setJsonWebKeySet)
    app.delete('/admin/keys/:set', deleteJsonWebKeySet)
    app.get('/admin/keys/:set/:kid', getJsonWebKey)
    app.put('/admin/keys/:set/:kid', setJsonWebKey)
    app.delete('/admin/keys/:set/:kid', deleteJsonWebKey)
  }
}
