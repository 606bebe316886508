// Path normalisation before routing (hydra-api.md §1.1): strip trailing '/', and on admin add the '/admin' prefix.

function splitUrl (url: string): [path: string, rest: string] {
  const queryStart = url.indexOf('?')
  return queryStart === -1 ? [url, ''] : [url.slice(0, queryStart), url.slice(queryStart)]
}

export function stripTrailingSlash (path: string): string {
  let end = path.length
  while (end > 1 && path.charCodeAt(end - 1) === 0x2f) end--
  return end === path.length ? path : path.slice(0, end)
}

export function hasAdminPrefix (path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/')
}

/** The URL a listener routes: `/clients/?x=1` on admin becomes `/admin/clients?x=1` (rewritten, not redirected). */
export function rewriteRequestUrl (url: string, options: { isAdmin: boolean }): string {
  const [rawPath, rest] = splitUrl(url)
  let path = stripTrailingSlash(rawPath)
  if (options.isAdmin && !hasAdminPrefix(path)) path = path === '/' ? '/admin' : `/admin${path}`
  return path === rawPath ? url : `${path}${rest}`
}

/** The path part of a URL with trailing slashes stripped, for exemption checks. */
export function normalisedPath (url: string): string {
  return stripTrailingSlash(splitUrl(url)[0])
}
