// SessionCodec: empty top-level fields are left out of session_data and come back as their defaults; claims stay exact.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Sealer } from '../keys/sealing.js'
import { SessionCodec } from './session-codec.js'
import { emptySession, type TokenSession } from './token.js'

for (const isEncrypting of [false, true]) {
  test(`session round trip (${isEncrypting ? 'sealed' : 'plain'}): defaults omitted, claims kept as given`, () => {
    const codec = new SessionCodec(new Sealer(['session-codec-test-secret-32-chars']), isEncrypting)
    const session: TokenSession = {
      ...emptySession(),
      subject: 'client-a',
      clientSubject: 'client-a',
      originGrant: 'client_credentials',
      accessTokenClaims: { empty: '', none: null, list: [], nested: {} }
    }
    const encoded = codec.encode(session)
    assert.deepEqual(codec.decode(encoded), session)
    if (!isEncrypting) {
      assert.deepEqual(Object.keys(JSON.parse(encoded) as object).sort(), ['accessTokenClaims', 'clientSubject', 'originGrant', 'subject'])
    }
    assert.deepEqual(codec.decode(codec.encode(emptySession())), emptySession())
  })
}
