// Secret hashing: Hydra's encodings verify (test vectors from ory/x hasherx), formats are exact, hashing stays off the loop.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { GENERATED_SECRET_LENGTH, SECRET_ALPHABET, constantTimeEqual, createSecretHasher, generateClientSecret, verifyEncodedSecret } from './secret-hasher.js'

// Public test vectors of ory/x hasherx for the password "test".
const HYDRA_PBKDF2_SHA256 = '$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI'
const HYDRA_PBKDF2_SHA512 = '$pbkdf2-sha512$i=100000,l=32$bdHBpn7OWOivJMVJypy2UqR0UnaD5prQXRZevj/05YU$+wArTfv1a+bNGO1iZrmEdVjhA+lL11wF4/IxpgYfPwc'
const HYDRA_BCRYPT = '$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6'

describe('secret hasher', () => {
  test('hashes written by Hydra verify, and tampered ones do not', async () => {
    assert.equal(await verifyEncodedSecret('test', HYDRA_PBKDF2_SHA256), true)
    assert.equal(await verifyEncodedSecret('test', HYDRA_PBKDF2_SHA512), true)
    assert.equal(await verifyEncodedSecret('test', HYDRA_BCRYPT), true)
    assert.equal(await verifyEncodedSecret('Test', HYDRA_PBKDF2_SHA256), false)
    assert.equal(await verifyEncodedSecret('test', `${HYDRA_PBKDF2_SHA256.slice(0, -1)}p`), false)
    assert.equal(await verifyEncodedSecret('test', `${HYDRA_BCRYPT.slice(0, -1)}7`), false)
  })

  test('malformed and unknown encodings never verify (and never throw)', async () => {
    for (const encoded of [
      '', 'test', '$unknown$12$abc', '$argon2id$v=19$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw',
      '$pbkdf2-sha256$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI',
      '$pbkdf2-sha256$aaaa$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI',
      // Padding or trailing characters make the strict base64 of hasherx fail.
      '$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXcc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI',
      '$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpII',
      '$pbkdf2-sha512$I=100000,l=32$bdHBpn7OWOivJMVJypy2UqR0UnaD5prQXRZevj/05YU$+wArTfv1a+bNGO1iZrmEdVjhA+lL11wF4/IxpgYfPwc',
      '$2a$12$short'
    ]) {
      assert.equal(await verifyEncodedSecret('test', encoded), false, encoded)
    }
  })

  test('pbkdf2 writes Hydra\'s format with the configured iterations', async () => {
    const hasher = createSecretHasher({ algorithm: 'pbkdf2', pbkdf2: { iterations: 1000 }, bcrypt: { cost: 4 } })
    const encoded = await hasher.hash('s3cret-value')
    assert.match(encoded, /^\$pbkdf2-sha256\$i=1000,l=32\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    assert.equal(await hasher.verify('s3cret-value', encoded), true)
    assert.equal(await hasher.verify('s3cret-valuE', encoded), false)
  })

  test('bcrypt writes $2a$ with the configured cost, refuses more than 72 bytes, and both algorithms verify each other', async () => {
    const bcrypt = createSecretHasher({ algorithm: 'bcrypt', pbkdf2: { iterations: 1000 }, bcrypt: { cost: 4 } })
    const pbkdf2 = createSecretHasher({ algorithm: 'pbkdf2', pbkdf2: { iterations: 1000 }, bcrypt: { cost: 4 } })
    const encoded = await bcrypt.hash('s3cret-value')
    assert.match(encoded, /^\$2a\$04\$.{53}$/)
    assert.equal(await pbkdf2.verify('s3cret-value', encoded), true)
    assert.equal(await bcrypt.verify('s3cret-value', await pbkdf2.hash('s3cret-value')), true)
    await assert.rejects(bcrypt.hash('x'.repeat(73)), /72 bytes/)
    assert.equal(await bcrypt.verify('x'.repeat(73), encoded), false)
  })

  test('generated secrets are 26 characters of Hydra\'s alphabet', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 50; i++) {
      const secret = generateClientSecret()
      assert.equal(secret.length, GENERATED_SECRET_LENGTH)
      assert.ok([...secret].every((c) => SECRET_ALPHABET.includes(c)), secret)
      seen.add(secret)
    }
    assert.equal(seen.size, 50)
  })

  test('constantTimeEqual compares strings of any length', () => {
    assert.equal(constantTimeEqual('abc', 'abc'), true)
    assert.equal(constantTimeEqual('abc', 'abd'), false)
    assert.equal(constantTimeEqual('abc', 'abcd'), false)
    assert.equal(constantTimeEqual('', ''), true)
  })

  test('hashing runs off the event loop: timers fire while 20 hashes are in flight', async () => {
    const hasher = createSecretHasher({ algorithm: 'pbkdf2', pbkdf2: { iterations: 25_000 }, bcrypt: { cost: 10 } })
    let isDone = false
    let ticksWhileHashing = 0
    const all = Promise.all(Array.from({ length: 20 }, async (_, i) => await hasher.hash(`secret-${i}`))).finally(() => { isDone = true })
    // Had hashing blocked the loop, no tick could run before every hash finished.
    await new Promise<void>((resolve) => setImmediate(() => { if (!isDone) ticksWhileHashing++; resolve() }))
    await all
    assert.equal(ticksWhileHashing, 1)
  })
})
