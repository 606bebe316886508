// Scope and audience matching (hydra-api.md §4.16): strategies.scope wildcard|exact, URL-prefix audiences.

export type ScopeStrategyName = 'wildcard' | 'exact'
export type ScopeMatcher = (allowed: readonly string[], requested: string) => boolean

function wildcardAllows (pattern: string, scope: string): boolean {
  if (pattern === scope) return true
  if (!pattern.includes('*')) return false
  const want = pattern.split('.')
  const have = scope.split('.')
  for (let i = 0; i < want.length; i++) {
    const part = want[i] as string
    const isLast = i === want.length - 1
    if (part === '*' && isLast) return have.length > i && have.slice(i).every((segment) => segment !== '') // one or more
    if (i >= have.length) return false
    if (part === '*') { if (have[i] === '') return false; continue }
    if (part !== have[i]) return false
  }
  return want.length === have.length
}

export function scopeMatcher (name: ScopeStrategyName): ScopeMatcher {
  if (name === 'exact') return (allowed, requested) => allowed.includes(requested)
  return (allowed, requested) => allowed.some((pattern) => wildcardAllows(pattern, requested))
}

function parseUrl (text: string): URL | undefined {
  try { return new URL(text) } catch { return undefined }
}

/** A requested audience is allowed when an allowed one has the same scheme and host and a path prefix of it. */
export function audienceAllowed (allowed: readonly string[], requested: string): boolean {
  if (allowed.includes(requested)) return true
  const want = parseUrl(requested)
  if (want === undefined) return false
  return allowed.some((candidate) => {
    const have = parseUrl(candidate)
    if (have === undefined || have.protocol !== want.protocol || have.host !== want.host) return false
    const base = have.pathname.replace(/\/+$/, '')
    const path = want.pathname.replace(/\/+$/, '')
    return path === base || path.startsWith(`${base}/`)
  })
}
