// Opaque HMAC tokens: format, rotation of system secrets, kinds, garbage.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { OpaqueTokenStrategy, signatureHash } from './opaque-token.js'

test('a minted token verifies to its stored signature hash, under every configured secret', () => {
  const old = new OpaqueTokenStrategy(['old-secret-old-secret-old-secret'])
  const minted = old.mint('access_token')
  assert.match(minted.token, /^ory_at_[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/)
  assert.match(minted.signature, /^[0-9a-f]{96}$/)
  assert.equal(minted.signature, signatureHash(minted.token.split('.')[1] as string))
  const rotated = new OpaqueTokenStrategy(['new-secret-new-secret-new-secret', 'old-secret-old-secret-old-secret'])
  assert.equal(rotated.verify('access_token', minted.token), minted.signature)
  assert.equal(rotated.verify('access_token', minted.token.slice('ory_at_'.length)), minted.signature, 'un-prefixed v1 tokens')
  assert.equal(new OpaqueTokenStrategy(['another-secret-another-secret-12']).verify('access_token', minted.token), undefined)
})

test('kinds do not mix and garbage is refused without throwing', () => {
  const strategy = new OpaqueTokenStrategy(['a-secret-a-secret-a-secret-a-sec'])
  const refresh = strategy.mint('refresh_token')
  assert.ok(refresh.token.startsWith('ory_rt_'))
  assert.ok(strategy.mint('authorize_code').token.startsWith('ory_ac_'))
  assert.equal(strategy.verify('access_token', refresh.token), undefined)
  for (const garbage of ['', '.', 'abc', 'ory_at_.', 'ory_at_a.b.c', 'ory_at_!!.??', refresh.token.replace(/.$/, 'A')]) {
    assert.equal(strategy.verify('refresh_token', garbage), garbage === refresh.token ? refresh.signature : undefined)
  }
})
