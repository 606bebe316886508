// GET|POST /userinfo: bearer token in the Authorization header, or `access_token` in the form or query (RFC 6750 §2).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../http/route-module.js'
import { acceptAnyBody, rawBody } from '../tokens/form-body.js'
import type { UserinfoService } from './userinfo.js'

export interface UserinfoRoutesDeps {
  userinfo: UserinfoService
}

type UserinfoRequest = FastifyRequest<{ Querystring: Record<string, unknown> }>

function presentedToken (request: UserinfoRequest): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
  if (match !== null) return match[1]
  const body = rawBody(request)
  const isForm = (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')
  if (body !== undefined && isForm) {
    const fromBody = new URLSearchParams(body.toString('utf8')).get('access_token')
    if (fromBody !== null) return fromBody
  }
  const fromQuery = request.query.access_token
  return typeof fromQuery === 'string' ? fromQuery : undefined
}

export function userinfoPublicRoutes (deps: UserinfoRoutesDeps): RouteRegistrar {
  return (app) => {
    acceptAnyBody(app)
    const handler = async function getOidcUserInfo (request: UserinfoRequest, reply: FastifyReply): Promise<FastifyReply> {
      const result = await deps.userinfo.userinfo(presentedToken(request))
      void reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
      if (result.kind === 'jwt') return await reply.type('application/jwt').send(result.jwt)
      return await reply.type('application/json;charset=UTF-8').send(result.claims)
    }
    app.get('/userinfo', handler)
    app.post('/userinfo', handler)
  }
}
