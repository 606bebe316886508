// The only code that shapes an error body (Hydra v2 wire format, hydra-api.md §9.6).
import { OAuth2Error, isOAuth2Error } from './oauth2-error.js'
import { serverError } from './catalogue.js'

export interface WireOptions {
  /** `oauth2.expose_internal_errors`: append debug text. */
  exposeDebug: boolean
  /** `oauth2.include_legacy_error_fields`: emit `error_hint`, `error_debug`, `status_code` separately. */
  legacy: boolean
}

export interface WireErrorBody {
  error: string
  error_description: string
  error_hint?: string
  error_debug?: string
  status_code?: number
}

/** Anything thrown becomes an OAuth2Error; unknown failures become `server_error` with their message as debug. */
export function toOAuth2Error (thrown: unknown): OAuth2Error {
  if (isOAuth2Error(thrown)) return thrown
  const debug = thrown instanceof Error ? thrown.message : String(thrown)
  return serverError().withDebug(debug)
}

// Hydra replaces double quotes so the description can be embedded in a redirect or a quoted header.
const unquote = (text: string): string => text.replaceAll('"', "'")

export function toWireBody (thrown: unknown, options: WireOptions): WireErrorBody {
  const err = toOAuth2Error(thrown)
  if (options.legacy) {
    const body: WireErrorBody = { error: err.error, error_description: unquote(err.description), status_code: err.statusCode }
    if (err.hint !== undefined) body.error_hint = unquote(err.hint)
    if (options.exposeDebug && err.debug !== undefined) body.error_debug = unquote(err.debug)
    return body
  }
  const parts = [err.description, err.hint, options.exposeDebug ? err.debug : undefined]
    .filter((part): part is string => part !== undefined && part !== '')
  return { error: err.error, error_description: unquote(parts.join(' ')) }
}
