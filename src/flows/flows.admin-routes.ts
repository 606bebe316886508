// Admin API of the login/consent/logout flows and sessions (hydra-api.md §1.3), Hydra's operation ids.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { assertWire } from '../clients/client.wire.js'
import type { RouteRegistrar } from '../http/route-module.js'
import { paginationLinkHeader } from '../lib/keyset-pagination.js'
import {
  AcceptConsentWire, AcceptLoginWire, RejectWire, consentAcceptFromWire, consentRequestToWire, consentSessionToWire,
  loginAcceptFromWire, loginRequestToWire, logoutRequestToWire, rejectionFromWire
} from './flows.wire.js'
import type { LogoutService } from './logout.service.js'
import type { HandledRequest, RequestsService } from './requests.service.js'
import type { SessionsService } from './sessions.service.js'

export interface FlowsAdminRoutesDeps {
  requests: RequestsService
  sessions: SessionsService
  logout: LogoutService
}

type QueryRequest = FastifyRequest<{ Querystring: Record<string, string | string[] | undefined> }>

/** The first value of a query parameter (Go's url.Values.Get). */
function first (value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? ''
}

/** `<kind>_challenge`, or its alias `challenge`. */
function challengeOf (request: QueryRequest, kind: string): string {
  return first(request.query[`${kind}_challenge`]) || first(request.query.challenge)
}

/** 410 Gone with `{"redirect_to": <the original /oauth2/auth URL>}`, as Hydra (oAuth2RedirectTo). */
function alreadyHandled (reply: FastifyReply, handled: HandledRequest): FastifyReply {
  return reply.code(410).send({ redirect_to: handled.redirectTo })
}

const REQUESTS = '/admin/oauth2/auth/requests'
const SESSIONS = '/admin/oauth2/auth/sessions'

export function flowsAdminRoutes (deps: FlowsAdminRoutesDeps): RouteRegistrar {
  const { requests, sessions, logout } = deps
  return (app) => {
    app.get(`${REQUESTS}/login`, async function getOAuth2LoginRequest (request: QueryRequest, reply: FastifyReply) {
      const opened = await requests.getOAuth2LoginRequest(challengeOf(request, 'login'))
      return 'redirectTo' in opened ? alreadyHandled(reply, opened) : loginRequestToWire(opened)
    })
    app.put(`${REQUESTS}/login/accept`, async function acceptOAuth2LoginRequest (request: QueryRequest) {
      assertWire(AcceptLoginWire, request.body)
      return { redirect_to: await requests.acceptOAuth2LoginRequest(challengeOf(request, 'login'), loginAcceptFromWire(request.body)) }
    })
    app.put(`${REQUESTS}/login/reject`, async function rejectOAuth2LoginRequest (request: QueryRequest) {
      assertWire(RejectWire, request.body)
      return { redirect_to: await requests.rejectOAuth2LoginRequest(challengeOf(request, 'login'), rejectionFromWire(request.body)) }
    })

    app.get(`${REQUESTS}/consent`, async function getOAuth2ConsentRequest (request: QueryRequest, reply: FastifyReply) {
      const opened = await requests.getOAuth2ConsentRequest(challengeOf(request, 'consent'))
      return 'redirectTo' in opened ? alreadyHandled(reply, opened) : consentRequestToWire(opened)
    })
    app.put(`${REQUESTS}/consent/accept`, async function acceptOAuth2ConsentRequest (request: QueryRequest) {
      assertWire(AcceptConsentWire, request.body)
      return { redirect_to: await requests.acceptOAuth2ConsentRequest(challengeOf(request, 'consent'), consentAcceptFromWire(request.body)) }
    })
    app.put(`${REQUESTS}/consent/reject`, async function rejectOAuth2ConsentRequest (request: QueryRequest) {
      assertWire(RejectWire, request.body)
      return { redirect_to: await requests.rejectOAuth2ConsentRequest(challengeOf(request, 'consent'), rejectionFromWire(request.body)) }
    })

    app.get(`${REQUESTS}/logout`, async function getOAuth2LogoutRequest (request: QueryRequest) {
      return logoutRequestToWire(await logout.getOAuth2LogoutRequest(challengeOf(request, 'logout')))
    })
    app.put(`${REQUESTS}/logout/accept`, async function acceptOAuth2LogoutRequest (request: QueryRequest) {
      return { redirect_to: await logout.acceptOAuth2LogoutRequest(challengeOf(request, 'logout')) }
    })
    app.put(`${REQUESTS}/logout/reject`, async function rejectOAuth2LogoutRequest (request: QueryRequest, reply: FastifyReply) {
      await logout.rejectOAuth2LogoutRequest(challengeOf(request, 'logout'))
      return await reply.code(204).send()
    })

    app.get(`${SESSIONS}/consent`, async function listOAuth2ConsentSessions (request: QueryRequest, reply: FastifyReply) {
      const page = await sessions.listOAuth2ConsentSessions({
        subject: first(request.query.subject),
        loginSessionId: first(request.query.login_session_id),
        pageSize: first(request.query.page_size) || undefined,
        pageToken: first(request.query.page_token) || undefined
      })
      const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : ''
      void reply.header('link', paginationLinkHeader(`${SESSIONS}/consent`, new URLSearchParams(rawQuery), page.pageSize, page.firstToken, page.nextToken))
      return page.sessions.map(({ grant, client }) => consentSessionToWire(grant, client))
    })
    app.delete(`${SESSIONS}/consent`, async function revokeOAuth2ConsentSessions (request: QueryRequest, reply: FastifyReply) {
      await sessions.revokeOAuth2ConsentSessions({
        subject: first(request.query.subject),
        client: first(request.query.client),
        consentRequestId: first(request.query.consent_request_id),
        all: first(request.query.all) === 'true'
      })
      return await reply.code(204).send()
    })
    app.delete(`${SESSIONS}/login`, async function revokeOAuth2LoginSessions (request: QueryRequest, reply: FastifyReply) {
      await sessions.revokeOAuth2LoginSessions({ subject: first(request.query.subject), sid: first(request.query.sid) })
      return await reply.code(204).send()
    })
  }
}
