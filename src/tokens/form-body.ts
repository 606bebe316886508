// Form bodies for the token, revocation and introspection endpoints: anything else is invalid_request, not 415.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { invalidRequest } from '../errors/catalogue.js'
import { isOAuth2Error } from '../errors/oauth2-error.js'
import { parseFormBody } from '../http/plugins/body-parsers.js'
import type { TokenForm } from './tokens.service.js'

const RAW = Symbol('raw body')

/**
 * Replaces the scope's body parsers with one that keeps every body as bytes, so readForm() can answer
 * malformed or non-form bodies with RFC 6749 §5.2 invalid_request instead of a generic 400/415.
 */
export function acceptAnyBody (app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => { done(null, { [RAW]: body }) })
}

/** RFC 6749 §5.2 / §9.6: token endpoint responses are never cached. */
export function noStore (reply: FastifyReply): void {
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
}

/** The bytes acceptAnyBody() kept, or undefined without a body. */
export function rawBody (request: FastifyRequest): Buffer | undefined {
  return (request.body as { [RAW]?: Buffer } | undefined)?.[RAW]
}

export function readForm (request: FastifyRequest): TokenForm {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
  const raw = rawBody(request)
  if (raw === undefined || raw.length === 0) throw invalidRequest('The POST body can not be empty.')
  if (type !== 'application/x-www-form-urlencoded') throw invalidRequest('The request body must be application/x-www-form-urlencoded.')
  try {
    return parseFormBody(new TextDecoder('utf-8', { fatal: true }).decode(raw))
  } catch (error) {
    const reason = isOAuth2Error(error) ? error.hint ?? error.description : 'The form body is not valid UTF-8.'
    throw invalidRequest(`Unable to parse the form body: ${reason}`)
  }
}
