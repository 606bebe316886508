// One error handler and one not-found handler for both listeners: every failure leaves through toWireBody.
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { OAuth2Error, isOAuth2Error } from '../../errors/oauth2-error.js'
import { toWireBody, type WireOptions } from '../../errors/wire.js'
import { NO_CACHE } from './cache-control.js'
import {
  badRequest, forbidden, invalidRequest, methodNotAllowed, notFound, payloadTooLarge, serverError, unauthorized,
  unsupportedMediaType
} from '../../errors/catalogue.js'

interface ValidationIssue {
  instancePath?: string
  message?: string
  params?: Record<string, unknown>
}

const CONTEXT_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' }

/** The first schema violation as a hint naming its JSON pointer (RFC 6901). */
export function validationHint (issues: readonly ValidationIssue[], context: string | undefined): string {
  const issue = issues[0]
  const where = `request ${CONTEXT_NAMES[context ?? ''] ?? context ?? 'data'}`
  if (issue === undefined) return `The ${where} is invalid.`
  const escape = (name: string): string => name.replaceAll('~', '~0').replaceAll('/', '~1')
  const child = issue.params?.['missingProperty'] ?? issue.params?.['additionalProperty']
  const pointer = `${issue.instancePath ?? ''}${typeof child === 'string' ? `/${escape(child)}` : ''}`
  return `The ${where} is invalid at "${pointer === '' ? '/' : pointer}": ${issue.message ?? 'invalid value'}.`
}

function byStatus (statusCode: number): OAuth2Error {
  switch (statusCode) {
    case 400: return badRequest()
    case 401: return unauthorized()
    case 403: return forbidden()
    case 404: return notFound()
    case 405: return methodNotAllowed()
    case 413: return payloadTooLarge()
    case 415: return unsupportedMediaType()
    default: return new OAuth2Error({ error: STATUS_CODES[statusCode] ?? 'error', statusCode, description: '' })
  }
}

/** Maps whatever a handler or fastify threw to the one error type; unknown failures become server_error. */
export function toHttpError (thrown: unknown): OAuth2Error {
  if (isOAuth2Error(thrown)) return thrown
  const error = thrown as Partial<FastifyError> & { validationContext?: string }
  if (Array.isArray(error.validation)) {
    return invalidRequest(validationHint(error.validation as ValidationIssue[], error.validationContext))
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return payloadTooLarge()
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return unsupportedMediaType()
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return badRequest('The request body is empty but a JSON document was declared.')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return badRequest('The Content-Length header does not match the request body.')
    case 'FST_ERR_BAD_URL': return badRequest('The request URL is malformed.')
  }
  // Fastify's own client errors carry their status; anything else thrown is an internal failure.
  const status = error.statusCode
  if (typeof error.code === 'string' && error.code.startsWith('FST_') && typeof status === 'number' && status >= 400 && status < 500) {
    return byStatus(status)
  }
  const debug = thrown instanceof Error ? thrown.message : String(thrown)
  return serverError().withDebug(debug)
}

export function sendError (reply: FastifyReply, error: OAuth2Error, wire: WireOptions): FastifyReply {
  if (error.headers !== undefined) void reply.headers(error.headers)
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(toWireBody(error, wire))
}

const PROBE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

function pathOf (url: string): string {
  const queryStart = url.indexOf('?')
  return queryStart === -1 ? url : url.slice(0, queryStart)
}

/** The methods routed for a concrete path, so a wrong method gets 405 instead of 404. */
export function allowedMethods (app: FastifyInstance, url: string): string[] {
  const path = pathOf(url)
  return PROBE_METHODS.filter((method) => app.findRoute({ method, url: path }) !== null)
}

export function installErrorHandling (app: FastifyInstance, wire: WireOptions): void {
  app.setErrorHandler((thrown: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const error = toHttpError(thrown)
    // Deliberate refusals (503 while the database is away, 502 over insecure http) are not internal errors.
    const isDeliberate = isOAuth2Error(thrown) && thrown.error !== 'server_error' && thrown.error !== 'misconfiguration'
    if (error.statusCode >= 500 && !isDeliberate) {
      request.log.error({ err: thrown, method: request.method, path: pathOf(request.url) }, 'request failed with an internal error')
    }
    return sendError(reply, error, wire)
  })

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const allowed = allowedMethods(app, request.url)
    if (allowed.length > 0) {
      return sendError(reply, methodNotAllowed(`The path allows ${allowed.join(', ')}.`).withHeaders({ allow: allowed.join(', ') }), wire)
    }
    return sendError(reply, notFound(), wire)
  })
}

/** For fastify's `frameworkErrors` option (malformed URLs and the like, before routing). */
export function frameworkErrorHandler (wire: WireOptions) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    // These answers skip the hooks, so the GET caching rule is applied here.
    if (request.method === 'GET' || request.method === 'HEAD') void reply.header('cache-control', NO_CACHE)
    void sendError(reply, toHttpError(error), wire)
  }
}
