// Go `time.Duration` text for client lifespans: parse what Hydra accepts, print what Hydra prints ("1h0m0s").

/** Hydra's documented lifespan pattern (hydra-api.md §2.2). */
export const LIFESPAN_PATTERN = '^([0-9]+([.][0-9]+)?(ns|us|µs|μs|ms|s|m|h))+$'

const UNIT_NS: Record<string, bigint> = {
  ns: 1n, us: 1_000n, µs: 1_000n, μs: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n
}

/** Largest value an int64 nanosecond column (and Go's Duration) holds. */
export const MAX_DURATION_NS = 9_223_372_036_854_775_807n

/** Nanoseconds of a Go duration such as "1h30m" or "1.5s"; undefined when the text is not one. */
export function parseGoDurationNs (text: string): bigint | undefined {
  if (!new RegExp(LIFESPAN_PATTERN, 'u').test(text)) return undefined
  let total = 0n
  for (const match of text.matchAll(/([0-9]+)(?:\.([0-9]+))?(ns|us|µs|μs|ms|s|m|h)/gu)) {
    const unit = UNIT_NS[match[3] as string] as bigint
    const fraction = match[2] ?? ''
    total += BigInt(match[1] as string) * unit
    if (fraction !== '') total += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length)
  }
  return total > MAX_DURATION_NS ? undefined : total
}

function trimFraction (whole: bigint, fraction: bigint, digits: number): string {
  if (fraction === 0n) return whole.toString()
  const text = fraction.toString().padStart(digits, '0').replace(/0+$/, '')
  return `${whole}.${text}`
}

/** Go's `Duration.String()` for a non-negative duration. */
export function formatGoDurationNs (ns: bigint): string {
  if (ns === 0n) return '0s'
  if (ns < 1_000n) return `${ns}ns`
  if (ns < 1_000_000n) return `${trimFraction(ns / 1_000n, ns % 1_000n, 3)}µs`
  if (ns < 1_000_000_000n) return `${trimFraction(ns / 1_000_000n, ns % 1_000_000n, 6)}ms`
  const hours = ns / UNIT_NS.h!
  const minutes = (ns % UNIT_NS.h!) / UNIT_NS.m!
  const secondsNs = ns % UNIT_NS.m!
  const seconds = `${trimFraction(secondsNs / UNIT_NS.s!, secondsNs % UNIT_NS.s!, 9)}s`
  if (hours > 0n) return `${hours}h${minutes}m${seconds}`
  if (minutes > 0n) return `${minutes}m${seconds}`
  return seconds
}

export function msToNs (ms: number): bigint {
  return BigInt(Math.round(ms * 1_000_000))
}

export function nsToMs (ns: bigint): number {
  return Number(ns) / 1_000_000
}
