// PKCE rules: S256 only, enforcement flags, verifier format and match.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { emptyDraft } from '../clients/client.js'
import { assertPkceRequest, assertPkceVerifier } from './pkce.js'

const { secret: _secret, ...draft } = emptyDraft()
const client = { ...draft, secretHash: '', rotatedSecretHashes: [], registrationAccessTokenSignature: '', createdAt: new Date(), updatedAt: new Date() }
const verifier = 'a'.repeat(43)
const challenge = createHash('sha256').update(verifier).digest('base64url')

test('authorization time: plain and missing methods are refused; enforcement flags', () => {
  const off = { isPkceEnforced: false, isPkceEnforcedForPublicClients: false }
  assert.doesNotThrow(() => { assertPkceRequest(client, undefined, undefined, off) })
  assert.doesNotThrow(() => { assertPkceRequest(client, challenge, 'S256', off) })
  assert.throws(() => { assertPkceRequest(client, challenge, 'plain', off) }, /plain is not allowed/)
  assert.throws(() => { assertPkceRequest(client, challenge, undefined, off) }, /S256/)
  assert.throws(() => { assertPkceRequest(client, undefined, undefined, { ...off, isPkceEnforced: true }) }, /code_challenge/)
  const publicClient = { ...client, tokenEndpointAuthMethod: 'none' }
  assert.throws(() => { assertPkceRequest(publicClient, undefined, undefined, { ...off, isPkceEnforcedForPublicClients: true }) }, /code_challenge/)
  assert.doesNotThrow(() => { assertPkceRequest(client, undefined, undefined, { ...off, isPkceEnforcedForPublicClients: true }) })
})

test('token time: the verifier must hash to the challenge', () => {
  assert.doesNotThrow(() => { assertPkceVerifier(challenge, verifier) })
  assert.doesNotThrow(() => { assertPkceVerifier('', undefined) })
  assert.throws(() => { assertPkceVerifier(challenge, 'b'.repeat(43)) }, (e: { error?: string }) => e.error === 'invalid_grant')
  assert.throws(() => { assertPkceVerifier(challenge, undefined) }, (e: { error?: string }) => e.error === 'invalid_grant')
  assert.throws(() => { assertPkceVerifier(challenge, 'short') }, (e: { error?: string }) => e.error === 'invalid_grant')
  assert.throws(() => { assertPkceVerifier('', verifier) }, (e: { error?: string }) => e.error === 'invalid_grant')
})
