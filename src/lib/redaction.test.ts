// Unit tests of the value and URL redaction used by the logger and the request log.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRedactor, redactUrlQuery } from './redaction.js'

test('query values are replaced, names, path and fragment kept', () => {
  assert.equal(redactUrlQuery('/cb?code=abc&state=x#frag', 'R'), '/cb?code=R&state=R#frag')
  assert.equal(redactUrlQuery('https://rp.example/cb?flag&x=', 'R'), 'https://rp.example/cb?flag=R&x=R')
  assert.equal(redactUrlQuery('/no/query', 'R'), '/no/query')
})

test('sensitive keys are masked at any depth; other values and non-plain objects pass through', () => {
  const redactor = createRedactor({ isLeakingSensitiveValues: false, redactionText: 'R' })
  const date = new Date(0)
  const out = redactor.redactObject({ a: { b: [{ id_token_hint: 'x', keep: 1 }] }, code: 'c', Authorization: 'Basic x', when: date, redirect_to: '/x?y=1' })
  assert.deepEqual(out, { a: { b: [{ id_token_hint: 'R', keep: 1 }] }, code: 'R', Authorization: 'R', when: date, redirect_to: '/x?y=R' })
  const cyclic: Record<string, unknown> = { name: 'n' }
  cyclic['self'] = cyclic
  assert.equal((redactor.redactObject(cyclic) as { name: string }).name, 'n')
})

test('leaking returns values untouched', () => {
  const redactor = createRedactor({ isLeakingSensitiveValues: true, redactionText: 'R' })
  assert.deepEqual(redactor.redactObject({ password: 'p' }), { password: 'p' })
  assert.equal(redactor.redactUrl('/a?b=c'), '/a?b=c')
})
