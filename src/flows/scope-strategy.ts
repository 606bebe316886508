// Scope and audience matching (hydra-api.md §4.16): strategies.scope exact|wildcard, URL-prefix audiences.

export type ScopeStrategyName = 'exact' | 'wildcard'

/** Does the allowed scope `pattern` cover the requested `scope`? */
export type ScopeMatcher = (pattern: string, scope: string) => boolean

export const exactScope: ScopeMatcher = (pattern, scope) => pattern === scope

/**
 * Dot-separated segments: a `*` in the middle matches exactly one non-empty segment, a trailing `*` one or more
 * remaining segments; without `*` only equality matches (`foo` does not allow `foo.bar`).
 */
export const wildcardScope: ScopeMatcher = (pattern, scope) => {
  if (pattern === scope) return true
  if (!pattern.includes('*')) return false
  const want = pattern.split('.')
  const have = scope.split('.')
  for (let i = 0; i < want.length; i++) {
    const segment = want[i] as string
    const isLast = i === want.length - 1
    if (segment === '*') {
      if (isLast) return have.length > i && have.slice(i).every((part) => part !== '')
      if (have[i] === undefined || have[i] === '') return false
    } else if (segment !== have[i]) {
      return false
    }
  }
  return have.length === want.length
}

export function scopeMatcher (name: ScopeStrategyName): ScopeMatcher {
  return name === 'exact' ? exactScope : wildcardScope
}

/** The requested scopes no allowed pattern covers ([] when all are allowed). */
export function disallowedScopes (matcher: ScopeMatcher, allowed: readonly string[], requested: readonly string[]): string[] {
  return requested.filter((scope) => !allowed.some((pattern) => matcher(pattern, scope)))
}

function parseAudience (value: string): URL | undefined {
  try { return new URL(value) } catch { return undefined }
}

/** Same scheme and host, and the requested path equals the allowed one or lies below it. Non-URLs compare exactly. */
export function isAudienceAllowed (allowed: readonly string[], requested: string): boolean {
  const want = parseAudience(requested)
  return allowed.some((entry) => {
    if (entry === requested) return true
    const have = parseAudience(entry)
    if (want === undefined || have === undefined) return false
    if (have.protocol !== want.protocol || have.host !== want.host) return false
    const base = have.pathname.replace(/\/+$/, '')
    const path = want.pathname.replace(/\/+$/, '')
    return path === base || path.startsWith(`${base}/`)
  })
}
