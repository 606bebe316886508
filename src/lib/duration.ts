// Go-style durations ("1h30m", "720h", "10s") as Hydra's config writes them.

export const GO_DURATION_PATTERN = '^-?([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$|^0$'

const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000
}

/** Parses a Go duration into milliseconds; throws on anything else. */
export function parseDurationMs (text: string): number {
  if (text === '0') return 0
  const match = /^(-?)(.+)$/.exec(text)
  const body = match?.[2] ?? ''
  const part = /([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/gy
  let total = 0
  let consumed = 0
  for (let m = part.exec(body); m !== null; m = part.exec(body)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0)
    consumed = part.lastIndex
  }
  if (body === '' || consumed !== body.length) throw new Error(`"${text}" is not a duration such as "30s", "15m" or "1h30m"`)
  return match?.[1] === '-' ? -total : total
}

export function isDuration (text: string): boolean {
  try { parseDurationMs(text); return true } catch { return false }
}

export function formatDurationMs (ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0) return `${ms / 60_000}m`
  if (ms % 1000 === 0) return `${ms / 1000}s`
  return `${ms}ms`
}
