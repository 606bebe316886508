// Reads /oauth2/auth parameters strictly: UTF-8 only, and each parameter at most once (except `audience`).
import { invalidRequest } from '../errors/catalogue.js'

export type ParamValues = ReadonlyMap<string, readonly string[]>

/** Parameters that may be repeated (RFC 8707 style audiences); any other repeat is invalid_request. */
const REPEATABLE = new Set(['audience'])

/** Thrown when the query itself is unreadable, before any client or redirect URI is known. */
export class UnreadableParamsError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UnreadableParamsError'
  }
}

function decodeComponent (text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    throw new UnreadableParamsError('The query string is not valid percent-encoded UTF-8.')
  }
}

/** application/x-www-form-urlencoded parsing with fatal UTF-8 decoding (URLSearchParams would substitute U+FFFD). */
export function parseQueryString (raw: string): Map<string, string[]> {
  const values = new Map<string, string[]>()
  for (const pair of raw.split('&')) {
    if (pair === '') continue
    const equals = pair.indexOf('=')
    const key = decodeComponent(equals === -1 ? pair : pair.slice(0, equals))
    const value = equals === -1 ? '' : decodeComponent(pair.slice(equals + 1))
    const list = values.get(key)
    if (list === undefined) values.set(key, [value]); else list.push(value)
  }
  return values
}

/** A parsed form body (the shared body parser turns repeats into arrays). */
export function paramsFromForm (form: Record<string, string | string[]>): Map<string, string[]> {
  const values = new Map<string, string[]>()
  for (const [key, value] of Object.entries(form)) values.set(key, Array.isArray(value) ? [...value] : [value])
  return values
}

/** Query then body, as Go's Request.Form merges them. */
export function mergeParams (first: ParamValues, second: ParamValues): Map<string, string[]> {
  const merged = new Map<string, string[]>()
  for (const source of [first, second]) {
    for (const [key, list] of source) merged.set(key, [...(merged.get(key) ?? []), ...list])
  }
  return merged
}

/** Raw query text of `params` in a stable order, for request_url. */
export function encodeParams (params: ParamValues, omit: readonly string[] = []): string {
  const search = new URLSearchParams()
  for (const [key, list] of params) {
    if (omit.includes(key)) continue
    for (const value of list) search.append(key, value)
  }
  return search.toString()
}

/** The single value of `name` ('' when absent); throws invalid_request when it was sent more than once. */
export function single (params: ParamValues, name: string): string {
  const list = params.get(name)
  if (list === undefined || list.length === 0) return ''
  if (list.length > 1 && !REPEATABLE.has(name)) throw invalidRequest(`The parameter '${name}' must not be included more than once.`)
  return list[0] as string
}

/** Space-delimited list parameter (scope, prompt, ...); repeated values of REPEATABLE names are joined. */
export function spaceList (params: ParamValues, name: string): string[] {
  const list = REPEATABLE.has(name) ? (params.get(name) ?? []) : [single(params, name)]
  return [...new Set(list.flatMap((value) => value.split(' ')).filter((item) => item !== ''))]
}

/** The first parameter that appears more than once although it may not ('' when none). */
export function firstRepeated (params: ParamValues): string {
  for (const [key, list] of params) if (list.length > 1 && !REPEATABLE.has(key)) return key
  return ''
}
