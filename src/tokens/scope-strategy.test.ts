// Scope strategies and audience matching (hydra-api.md §4.16).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { audienceAllowed, scopeMatcher } from './scope-strategy.js'

test('wildcard: trailing * matches one or more segments, middle * exactly one, no * means equality', () => {
  const allows = scopeMatcher('wildcard')
  assert.equal(allows(['foo.*'], 'foo.bar'), true)
  assert.equal(allows(['foo.*'], 'foo.bar.baz'), true)
  assert.equal(allows(['foo.*'], 'foo'), false)
  assert.equal(allows(['foo.*.baz'], 'foo.x.baz'), true)
  assert.equal(allows(['foo.*.baz'], 'foo.x.y.baz'), false)
  assert.equal(allows(['foo'], 'foo.bar'), false)
  assert.equal(allows(['foo'], 'foo'), true)
})

test('exact: string equality only', () => {
  const allows = scopeMatcher('exact')
  assert.equal(allows(['foo.*'], 'foo.bar'), false)
  assert.equal(allows(['foo.*'], 'foo.*'), true)
})

test('audiences: same scheme and host, path at or below the allowed one', () => {
  assert.equal(audienceAllowed(['https://api/foo'], 'https://api/foo/bar'), true)
  assert.equal(audienceAllowed(['https://api/foo'], 'https://api/foobar'), false)
  assert.equal(audienceAllowed(['https://api/foo'], 'http://api/foo'), false)
  assert.equal(audienceAllowed(['urn:x'], 'urn:x'), true)
  assert.equal(audienceAllowed([], 'https://api/'), false)
})
