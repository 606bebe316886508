// Go duration text for client lifespans.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_DURATION_NS, formatGoDurationNs, parseGoDurationNs } from './go-duration.js'

test('parses what Hydra accepts and prints what Go prints', () => {
  const cases: Array<[string, string]> = [
    ['1h', '1h0m0s'], ['31h', '31h0m0s'], ['90s', '1m30s'], ['1.5s', '1.5s'], ['1h30m', '1h30m0s'], ['500ms', '500ms'],
    ['1.5ms', '1.5ms'], ['2us', '2µs'], ['3µs', '3µs'], ['100ns', '100ns'], ['0s', '0s'], ['1m0.25s', '1m0.25s'], ['720h', '720h0m0s']
  ]
  for (const [input, printed] of cases) {
    const ns = parseGoDurationNs(input)
    assert.ok(ns !== undefined, input)
    assert.equal(formatGoDurationNs(ns), printed, input)
  }
})

test('rejects anything else', () => {
  for (const input of ['', '1', 'h', '1d', '-1h', '1 h', 'forever', '1h ', '.5h', '99999999999h']) {
    assert.equal(parseGoDurationNs(input), undefined, input)
  }
  assert.equal(parseGoDurationNs('2562047h47m16.854775807s'), MAX_DURATION_NS)
})
