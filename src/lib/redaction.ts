// Masks sensitive values (secrets, tokens, cookies, query strings) before they reach a log line.

/** Keys whose values are never logged verbatim (`log.leak_sensitive_values` turns this off). */
export const SENSITIVE_KEY_PATTERN = /secret|password|token|assertion|code_verifier|_challenge$|_verifier$|^code$|^authorization$|^proxy-authorization$|^cookie$|^set-cookie$/i

// Keys holding a URL whose query string may carry challenges, codes or tokens.
const URL_KEY_PATTERN = /(^|_)(url|uri|path|location)$|^redirect_to$/i

const MAX_DEPTH = 10

export interface Redactor {
  /** Returns a copy of a plain object with sensitive values replaced; other values pass through. */
  redactObject<T>(value: T): T
  /** Replaces every query-string value of a URL (absolute or path-only). */
  redactUrl(url: string): string
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** `/cb?code=abc&state=x#f` → `/cb?code=<text>&state=<text>#f`. */
export function redactUrlQuery (url: string, text: string): string {
  const queryStart = url.indexOf('?')
  if (queryStart === -1) return url
  const hashStart = url.indexOf('#', queryStart)
  const query = hashStart === -1 ? url.slice(queryStart + 1) : url.slice(queryStart + 1, hashStart)
  const fragment = hashStart === -1 ? '' : url.slice(hashStart)
  const masked = query.split('&').map((pair) => {
    if (pair === '') return pair
    const eq = pair.indexOf('=')
    return `${eq === -1 ? pair : pair.slice(0, eq)}=${encodeURIComponent(text)}`
  }).join('&')
  return `${url.slice(0, queryStart)}?${masked}${fragment}`
}

export function createRedactor (options: { isLeakingSensitiveValues: boolean, redactionText: string }): Redactor {
  const text = options.redactionText
  if (options.isLeakingSensitiveValues) {
    return { redactObject: (value) => value, redactUrl: (url) => url }
  }

  const redactValue = (key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (value === undefined || value === null) return value
    if (SENSITIVE_KEY_PATTERN.test(key)) return text
    if (typeof value === 'string') return URL_KEY_PATTERN.test(key) ? redactUrlQuery(value, text) : value
    if (Array.isArray(value)) {
      if (depth >= MAX_DEPTH || seen.has(value)) return value
      seen.add(value)
      return value.map((item) => redactValue('', item, depth + 1, seen))
    }
    if (isPlainObject(value)) {
      if (depth >= MAX_DEPTH || seen.has(value)) return value
      seen.add(value)
      const copy: Record<string, unknown> = {}
      for (const [childKey, child] of Object.entries(value)) copy[childKey] = redactValue(childKey, child, depth + 1, seen)
      return copy
    }
    return value
  }

  return {
    redactObject: <T>(value: T): T => redactValue('', value, 0, new WeakSet()) as T,
    redactUrl: (url) => redactUrlQuery(url, text)
  }
}
