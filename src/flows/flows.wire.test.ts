// The admin API wire mappers: Hydra's defaults for omitted body fields, and the exact response field sets.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertWire } from '../clients/client.wire.js'
import { FlowState, type Flow } from './flow.js'
import { AcceptConsentWire, AcceptLoginWire, RejectWire, consentAcceptFromWire, consentRequestToWire, loginAcceptFromWire, loginRequestToWire, rejectionFromWire } from './flows.wire.js'

const flow: Flow = {
  id: 'f'.repeat(32), state: FlowState.CONSENT_INITIALIZED, clientId: 'c', requestUrl: 'http://x/oauth2/auth?a=b',
  requestedScope: ['openid'], requestedAudience: [], requestedAt: 1_800_000_000, oidcContext: { ui_locales: ['de'] },
  loginSkip: false, subject: 'alice', loginSessionId: 'sid', loginCsrf: 'csrf', consentRequestId: 'r'.repeat(32), consentSkip: true
}

test('accept and reject bodies take Hydra defaults', () => {
  assertWire(AcceptLoginWire, { subject: 'alice' })
  assert.deepEqual(loginAcceptFromWire({ subject: 'alice' }), {
    subject: 'alice', remember: false, rememberFor: 0, extendSessionLifespan: false, acr: '', amr: [], context: {},
    forceSubjectIdentifier: '', identityProviderSessionId: ''
  })
  assert.throws(() => { assertWire(AcceptLoginWire, { subject: 1 }) }, /Unable to decode/)
  assert.throws(() => { assertWire(AcceptLoginWire, {}) }, /Unable to decode/)
  assertWire(AcceptConsentWire, undefined)
  assert.deepEqual(consentAcceptFromWire(undefined), { grantScope: [], grantAudience: [], sessionAccessToken: {}, sessionIdToken: {}, remember: false, rememberFor: 0, context: undefined })
  assert.throws(() => { assertWire(AcceptConsentWire, { remember_for: -1 }) }, /Unable to decode/)
  assertWire(RejectWire, { error: 'x', status_code: null })
  assert.deepEqual(rejectionFromWire({ error: 'x', status_code: null }), { error: 'x', errorDescription: '', errorHint: '', errorDebug: '', statusCode: 0 })
})

test('login and consent requests carry every field of Hydra\'s objects', () => {
  const login = loginRequestToWire({ challenge: 'C1', flow, client: undefined })
  assert.deepEqual(Object.keys(login).sort(), ['challenge', 'client', 'oidc_context', 'request_url', 'requested_access_token_audience', 'requested_scope', 'session_id', 'skip', 'subject'])
  const consent = consentRequestToWire({ challenge: 'C2', flow, client: undefined })
  assert.deepEqual(Object.keys(consent).sort(), ['acr', 'amr', 'challenge', 'client', 'consent_request_id', 'context', 'login_challenge', 'login_session_id', 'oidc_context', 'request_url', 'requested_access_token_audience', 'requested_scope', 'skip', 'subject'])
  assert.equal(consent.login_challenge, flow.id)
  assert.equal(consent.skip, true)
})
