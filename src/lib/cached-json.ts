// A JSON document serialised once, with a strong ETag, for endpoints that serve the same bytes to everyone.
import { createHash } from 'node:crypto'

export interface CachedJson {
  readonly body: Buffer
  /** Quoted strong entity tag (RFC 9110 §8.8.3). */
  readonly etag: string
}

export function toCachedJson (value: unknown): CachedJson {
  const body = Buffer.from(JSON.stringify(value), 'utf8')
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
  return Object.freeze({ body, etag })
}

/**
 * RFC 9110 §13.1.2: If-None-Match uses weak comparison, so `W/"x"` matches `"x"`; `*` matches any current
 * representation. The header may list several tags.
 */
export function matchesIfNoneMatch (header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false
  const value = Array.isArray(header) ? header.join(',') : header
  const opaque = etag.replace(/^W\//, '')
  return value.split(',').some((candidate) => {
    const tag = candidate.trim()
    return tag === '*' || tag.replace(/^W\//, '') === opaque
  })
}

export interface CachedJsonResponse {
  statusCode: 200 | 304
  headers: Record<string, string>
  body: Buffer | undefined
}

/** What to answer a GET for `document`: 304 without a body when the client's If-None-Match already names it. */
export function cachedJsonResponse (document: CachedJson, ifNoneMatch: string | string[] | undefined): CachedJsonResponse {
  if (matchesIfNoneMatch(ifNoneMatch, document.etag)) return { statusCode: 304, headers: { etag: document.etag }, body: undefined }
  return { statusCode: 200, headers: { etag: document.etag, 'content-type': 'application/json; charset=utf-8' }, body: document.body }
}
