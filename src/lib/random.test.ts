// timeOrderedHex: fixed length, ordered by time, and still unique within one millisecond.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { timeOrderedHex } from './random.js'

test('timeOrderedHex sorts by time and stays unique within a millisecond', () => {
  const at = Date.UTC(2026, 10, 29, 12)
  const sameMs = Array.from({ length: 1000 }, () => timeOrderedHex(at))
  assert.ok(sameMs.every((id) => /^[0-9a-f]{32}$/.test(id)))
  assert.equal(new Set(sameMs).size, 1000)
  assert.ok(sameMs.every((id) => id.startsWith(at.toString(16).padStart(12, '0'))))
  const later = timeOrderedHex(at + 1)
  assert.ok(sameMs.every((id) => id < later), 'an id of a later millisecond sorts after every earlier one')
})
