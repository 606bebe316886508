// Keyset pagination as Hydra v2 does it: sealed, expiring page tokens, page_size limits and the `Link` header.

/** What sealing page tokens needs (structurally satisfied by keys/sealing.ts `Sealer`). */
export interface TokenSealer {
  seal(plaintext: string, associatedData?: string): string
  tryOpen(sealed: string, associatedData?: string): Buffer | undefined
}

export const DEFAULT_PAGE_SIZE = 100
export const MAX_PAGE_SIZE = 500
export const PAGE_TOKEN_TTL_MS = 60 * 60 * 1000

export type CursorValue = string | number

export class PageTokenError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'PageTokenError'
  }
}

interface SealedCursor { e: number, c: Array<{ n: string, v: CursorValue }> }

const AAD = 'warden-page-token'

/**
 * Page tokens carry the sort columns' values of the last row seen. They are sealed so clients cannot
 * forge or read them, expire after an hour ("do not persist page tokens"), and are bound to the column names.
 */
export class PageTokens {
  private readonly sealer: TokenSealer
  private readonly now: () => Date

  constructor (sealer: TokenSealer, now: () => Date = () => new Date()) {
    this.sealer = sealer
    this.now = now
  }

  encode (cursor: Record<string, CursorValue>): string {
    const payload: SealedCursor = {
      e: this.now().getTime() + PAGE_TOKEN_TTL_MS,
      c: Object.entries(cursor).map(([n, v]) => ({ n, v }))
    }
    return this.sealer.seal(JSON.stringify(payload), AAD)
  }

  /** The cursor inside `token`; throws PageTokenError when it is forged, expired or for other columns. */
  decode (token: string, columns: readonly string[]): Record<string, CursorValue> {
    const opened = this.sealer.tryOpen(token, AAD)
    if (opened === undefined) throw new PageTokenError('the page token is invalid')
    let payload: SealedCursor
    try {
      payload = JSON.parse(opened.toString('utf8')) as SealedCursor
    } catch {
      throw new PageTokenError('the page token is invalid')
    }
    if (typeof payload.e !== 'number' || payload.e < this.now().getTime()) {
      throw new PageTokenError('page token expired, do not persist page tokens')
    }
    const names = Array.isArray(payload.c) ? payload.c.map((column) => column.n) : []
    if (names.length !== columns.length || names.some((name, i) => name !== columns[i])) {
      throw new PageTokenError('the page token belongs to a different listing')
    }
    return Object.fromEntries(payload.c.map((column) => [column.n, column.v]))
  }
}

/** `page_size` as Hydra reads it: absent or ≤ 0 → 100, above 500 → 500; not an integer → error. */
export function parsePageSize (raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE
  if (!/^[+-]?[0-9]+$/.test(raw)) throw new PageTokenError(`page_size "${raw}" is not an integer`)
  const size = Number(raw)
  if (size <= 0) return DEFAULT_PAGE_SIZE
  return Math.min(size, MAX_PAGE_SIZE)
}

/** One page of rows keyed by a single string `id` column, with the sealed tokens of the first and next page. */
export interface IdPage<T> {
  rows: T[]
  pageSize: number
  firstToken: string
  /** Only when more rows follow. */
  nextToken?: string
}

export interface PageQuery {
  pageSize?: string
  pageToken?: string
}

/**
 * One page of a listing ordered by `id` (clients, trust relationships). `page_size` and `page_token` are read
 * before anything is fetched; when either is invalid, `onInvalid` turns the reason into the error to throw.
 * `fetchRows` is asked for one row more than a page, which tells whether a next page exists.
 */
export async function pageById<T extends { id: string }> (
  tokens: PageTokens,
  query: PageQuery,
  onInvalid: (reason: string) => Error,
  fetchRows: (afterId: string, limit: number) => Promise<T[]>
): Promise<IdPage<T>> {
  let pageSize: number
  let afterId = ''
  try {
    pageSize = parsePageSize(query.pageSize)
    if (query.pageToken !== undefined && query.pageToken !== '') afterId = String(tokens.decode(query.pageToken, ['id']).id)
  } catch (error) {
    if (error instanceof PageTokenError) throw onInvalid(error.message)
    throw error
  }
  const fetched = await fetchRows(afterId, pageSize + 1)
  const rows = fetched.slice(0, pageSize)
  const last = rows.at(-1)
  return {
    rows,
    pageSize,
    firstToken: tokens.encode({ id: '' }),
    ...(fetched.length > pageSize && last !== undefined ? { nextToken: tokens.encode({ id: last.id }) } : {})
  }
}

/**
 * The `Link` header: `<path?...&page_size=N&page_token=T>; rel="first"` and, when more rows exist, the same
 * with rel="next", joined by a comma. Other query parameters (filters) are kept; keys are sorted like Go does.
 */
export function paginationLinkHeader (path: string, query: URLSearchParams, pageSize: number, firstToken: string, nextToken: string | undefined): string {
  const link = (rel: string, token: string): string => {
    const params = new URLSearchParams(query)
    params.set('page_token', token)
    params.set('page_size', String(pageSize))
    params.sort()
    return `<${path}?${params.toString()}>; rel="${rel}"`
  }
  const parts = [link('first', firstToken)]
  if (nextToken !== undefined) parts.push(link('next', nextToken))
  return parts.join(',')
}
