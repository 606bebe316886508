// Outgoing HTTP calls the way Hydra's resilient HTTP client makes them: retries on no answer, 429 and 5xx other than
// 501, under one abort signal, and response bodies read only up to a limit.
import { setTimeout as sleep } from 'node:timers/promises'

/** Hydra's client gives up on a call after 30 s. */
export const OUTGOING_TIMEOUT_MS = 30_000
/** Hydra's client retries twice; go-retryablehttp waits 1 s, then 2 s. */
export const OUTGOING_RETRY_DELAYS_MS: readonly number[] = [1000, 2000]

/** What go-retryablehttp's default policy retries besides a missing answer. */
export function isRetryableStatus (status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501)
}

export interface RetryOptions {
  /** Aborts the attempt under way and any pause before a retry (a deadline, a shutdown). */
  signal: AbortSignal
  /** Pause before each retry; its length is the number of retries. */
  retryDelaysMs?: readonly number[]
  /** Replaceable for tests; defaults to global fetch. */
  fetch?: typeof fetch
}

/**
 * The answer to the last attempt: a status that is not retried, or a retried one once the retries are used up
 * (`isExhausted`); or, when no attempt got an answer, why (`failure`).
 */
export type RetriedOutcome =
  | { response: Response, attempts: number, isExhausted: boolean }
  | { failure: string, attempts: number }

/** Sends `init` (its body must be re-sendable: a string or bytes) until it gets an answer worth keeping. */
export async function fetchWithRetries (url: string, init: Omit<RequestInit, 'signal'>, options: RetryOptions): Promise<RetriedOutcome> {
  const fetchFn = options.fetch ?? fetch
  const delaysMs = options.retryDelaysMs ?? OUTGOING_RETRY_DELAYS_MS
  const { signal } = options
  for (let attempt = 1; ; attempt++) {
    const delayMs = delaysMs[attempt - 1]
    let failure: string
    try {
      const response = await fetchFn(url, { ...init, signal })
      if (!isRetryableStatus(response.status)) return { response, attempts: attempt, isExhausted: false }
      if (delayMs === undefined) return { response, attempts: attempt, isExhausted: true }
      await response.body?.cancel()
      failure = `HTTP ${response.status}`
    } catch (error) {
      if (signal.aborted) return { failure: String(signal.reason), attempts: attempt }
      failure = reasonOf(error)
      if (delayMs === undefined) return { failure, attempts: attempt }
    }
    try {
      await sleep(delayMs, undefined, { signal })
    } catch {
      return { failure: `${failure}, then ${String(signal.reason)}`, attempts: attempt }
    }
  }
}

/** fetch reports "fetch failed"; the reason (ECONNREFUSED, a DNS error) is its cause. */
export function reasonOf (error: unknown): string {
  const cause = (error as { cause?: unknown }).cause
  return cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error)
}

export class BodyTooLargeError extends Error {
  constructor (maxBytes: number) {
    super(`the response body exceeds ${maxBytes} bytes`)
    this.name = 'BodyTooLargeError'
  }
}

/** The whole body, or BodyTooLargeError as soon as more than `maxBytes` arrived (the rest is not read). */
export async function readBodyCapped (response: Response, maxBytes: number): Promise<Buffer> {
  if (response.body === null) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    // Leaving the loop cancels the stream: the rest is never read.
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes)
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks)
}
