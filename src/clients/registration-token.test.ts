// Registration access tokens: only signatures are stored, and secret rotation keeps issued tokens valid.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hmacRegistrationTokens } from './registration-token.js'

test('a token matches its own stored signature only, under any configured secret', () => {
  const tokens = hmacRegistrationTokens(['first-secret-of-sufficient-size'])
  const { token, signature } = tokens.issue()
  assert.match(token, /^ory_at_[\w-]{43}\.[\w-]{43}$/)
  assert.ok(!signature.includes(token.slice(7, 30)))
  assert.equal(tokens.matches(token, signature), true)
  assert.equal(tokens.matches(token.slice('ory_at_'.length), signature), true)
  assert.equal(tokens.matches(token, tokens.issue().signature), false)
  assert.equal(tokens.matches(`${token}x`, signature), false)
  assert.equal(tokens.matches(token, ''), false)
  assert.equal(tokens.matches('', signature), false)
  // Forging: a random key with the stored signature attached does not pass the HMAC check.
  assert.equal(tokens.matches(`ory_at_forgedkey.${signature}`, signature), false)
  const rotated = hmacRegistrationTokens(['second-secret-of-sufficient-size', 'first-secret-of-sufficient-size'])
  assert.equal(rotated.matches(token, signature), true)
  assert.equal(hmacRegistrationTokens(['second-secret-of-sufficient-size']).matches(token, signature), false)
})
