// The shared outgoing-HTTP rules (Hydra's resilient client): what is retried, how often, what aborts, the body cap.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { BodyTooLargeError, fetchWithRetries, isRetryableStatus, readBodyCapped } from './outgoing-http.js'

/** A fetch that answers each call with the next entry: a status, or an Error to throw (as fetch does with no answer). */
function scripted (answers: Array<number | Error>): { fetch: typeof fetch, calls: () => number } {
  let calls = 0
  const fake = async (): Promise<Response> => {
    const answer = answers[calls++] ?? 200
    if (answer instanceof Error) throw answer
    return new Response(answer === 204 ? null : `answer ${calls}`, { status: answer })
  }
  return { fetch: fake as typeof fetch, calls: () => calls }
}

const unreachable = (): Error => new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') })

describe('outgoing HTTP', () => {
  test('isRetryableStatus: 429 and 5xx except 501', () => {
    for (const status of [429, 500, 502, 503, 504, 599]) assert.equal(isRetryableStatus(status), true, String(status))
    for (const status of [200, 204, 301, 400, 401, 403, 404, 501]) assert.equal(isRetryableStatus(status), false, String(status))
  })

  test('a status that is not retried is returned at once; retried ones until an answer worth keeping', async () => {
    const signal = new AbortController().signal
    const once = scripted([400])
    assert.deepEqual(pick(await fetchWithRetries('http://x/', {}, { signal, fetch: once.fetch, retryDelaysMs: [0, 0] })), { status: 400, attempts: 1, isExhausted: false })
    const recovers = scripted([503, unreachable(), 204])
    assert.deepEqual(pick(await fetchWithRetries('http://x/', {}, { signal, fetch: recovers.fetch, retryDelaysMs: [0, 0] })), { status: 204, attempts: 3, isExhausted: false })
    const down = scripted([500, 429, 502, 200])
    assert.deepEqual(pick(await fetchWithRetries('http://x/', {}, { signal, fetch: down.fetch, retryDelaysMs: [0, 0] })), { status: 502, attempts: 3, isExhausted: true })
    assert.equal(down.calls(), 3, 'two retries, no more')
  })

  test('no answer at all: the cause is the reason; an abort during a pause ends the retries', async () => {
    const signal = new AbortController().signal
    const gone = scripted([unreachable(), unreachable(), unreachable(), unreachable()])
    assert.deepEqual(await fetchWithRetries('http://x/', {}, { signal, fetch: gone.fetch, retryDelaysMs: [0, 0] }), { failure: 'connect ECONNREFUSED 127.0.0.1:1', attempts: 3 })

    const controller = new AbortController()
    const aborting = (async () => { controller.abort('timed out'); return new Response(null, { status: 503 }) }) as typeof fetch
    const outcome = await fetchWithRetries('http://x/', {}, { signal: controller.signal, fetch: aborting, retryDelaysMs: [60_000] })
    assert.deepEqual(outcome, { failure: 'HTTP 503, then timed out', attempts: 1 })
  })

  test('readBodyCapped reads up to the limit and refuses more', async () => {
    assert.equal((await readBodyCapped(new Response('x'.repeat(1024)), 1024)).length, 1024)
    assert.equal((await readBodyCapped(new Response(null, { status: 204 }), 10)).length, 0)
    await assert.rejects(readBodyCapped(new Response('x'.repeat(1025)), 1024), (error: unknown) => error instanceof BodyTooLargeError && /exceeds 1024 bytes/.test(error.message))
  })
})

function pick (outcome: Awaited<ReturnType<typeof fetchWithRetries>>): object {
  return 'response' in outcome ? { status: outcome.response.status, attempts: outcome.attempts, isExhausted: outcome.isExhausted } : outcome
}
