// Wire shapes of the login/consent/logout admin API (hydra-api.md §1.4) and their mappers to and from the domain.
import { Type, type Static } from '@sinclair/typebox'
import type { OAuth2Client } from '../clients/client.js'
import { clientToWire } from '../clients/client.wire.js'
import { fromEpochSeconds, type Flow } from './flow.js'
import type { StoredGrant } from './flows.store.js'
import type { OpenedLogout } from './logout.service.js'
import type { ConsentAccept, LoginAccept, OpenedRequest, Rejection } from './requests.service.js'

const Strings = Type.Union([Type.Array(Type.String()), Type.Null()])
const Seconds = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])
const Claims = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])

export const AcceptLoginWire = Type.Object({
  subject: Type.String(),
  remember: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  remember_for: Type.Optional(Seconds),
  extend_session_lifespan: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  acr: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  amr: Type.Optional(Strings),
  context: Type.Optional(Type.Unknown()),
  force_subject_identifier: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  identity_provider_session_id: Type.Optional(Type.Union([Type.String(), Type.Null()]))
})

export const AcceptConsentWire = Type.Union([Type.Object({
  grant_scope: Type.Optional(Strings),
  grant_access_token_audience: Type.Optional(Strings),
  session: Type.Optional(Type.Union([Type.Object({
    access_token: Type.Optional(Claims),
    id_token: Type.Optional(Claims)
  }), Type.Null()])),
  remember: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  remember_for: Type.Optional(Seconds),
  context: Type.Optional(Type.Unknown()),
  handled_at: Type.Optional(Type.Unknown())
}), Type.Undefined()])

export const RejectWire = Type.Union([Type.Object({
  error: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  error_description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  error_hint: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  error_debug: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  status_code: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 599 }), Type.Null()]))
}), Type.Undefined()])

export function loginAcceptFromWire (body: Static<typeof AcceptLoginWire>): LoginAccept {
  return {
    subject: body.subject,
    remember: body.remember ?? false,
    rememberFor: body.remember_for ?? 0,
    extendSessionLifespan: body.extend_session_lifespan ?? false,
    acr: body.acr ?? '',
    amr: body.amr ?? [],
    context: body.context ?? {},
    forceSubjectIdentifier: body.force_subject_identifier ?? '',
    identityProviderSessionId: body.identity_provider_session_id ?? ''
  }
}

export function consentAcceptFromWire (body: Static<typeof AcceptConsentWire>): ConsentAccept {
  return {
    grantScope: body?.grant_scope ?? [],
    grantAudience: body?.grant_access_token_audience ?? [],
    sessionAccessToken: body?.session?.access_token ?? {},
    sessionIdToken: body?.session?.id_token ?? {},
    remember: body?.remember ?? false,
    rememberFor: body?.remember_for ?? 0,
    context: body?.context
  }
}

export function rejectionFromWire (body: Static<typeof RejectWire>): Rejection {
  return {
    error: body?.error ?? '',
    errorDescription: body?.error_description ?? '',
    errorHint: body?.error_hint ?? '',
    errorDebug: body?.error_debug ?? '',
    statusCode: body?.status_code ?? 0
  }
}

// RFC 3339 without fractional seconds, as Go prints second-truncated times.
const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

const clientWire = (client: OAuth2Client | undefined): unknown => client === undefined ? null : clientToWire(client)

function oidcContextWire (flow: Pick<Flow, 'oidcContext'>): Record<string, unknown> {
  return { ...flow.oidcContext }
}

export function loginRequestToWire (opened: OpenedRequest): Record<string, unknown> {
  const { flow } = opened
  return {
    challenge: opened.challenge,
    requested_scope: flow.requestedScope,
    requested_access_token_audience: flow.requestedAudience,
    skip: flow.loginSkip,
    subject: flow.subject,
    oidc_context: oidcContextWire(flow),
    client: clientWire(opened.client),
    request_url: flow.requestUrl,
    session_id: flow.loginSessionId
  }
}

export function consentRequestToWire (opened: OpenedRequest): Record<string, unknown> {
  const { flow } = opened
  return {
    challenge: opened.challenge,
    consent_request_id: flow.consentRequestId ?? '',
    requested_scope: flow.requestedScope,
    requested_access_token_audience: flow.requestedAudience,
    skip: flow.consentSkip === true,
    subject: flow.subject,
    oidc_context: oidcContextWire(flow),
    client: clientWire(opened.client),
    request_url: flow.requestUrl,
    login_challenge: flow.id,
    login_session_id: flow.loginSessionId,
    acr: flow.acr ?? '',
    amr: flow.amr ?? [],
    context: flow.context ?? {}
  }
}

export function consentSessionToWire (grant: StoredGrant, client: OAuth2Client | undefined): Record<string, unknown> {
  return {
    consent_request_id: grant.consentRequestId,
    grant_scope: grant.grantedScope,
    grant_access_token_audience: grant.grantedAudience,
    session: { access_token: grant.sessionAccessToken, id_token: grant.sessionIdToken },
    remember: grant.consentRemember,
    remember_for: grant.consentRememberFor,
    handled_at: grant.consentHandledAt === null ? null : rfc3339(grant.consentHandledAt),
    context: grant.context,
    consent_request: {
      challenge: '',
      consent_request_id: grant.consentRequestId,
      requested_scope: grant.requestedScope,
      requested_access_token_audience: grant.requestedAudience,
      skip: grant.consentSkip,
      subject: grant.subject,
      oidc_context: grant.oidcContext,
      client: clientWire(client),
      request_url: grant.requestUrl,
      login_challenge: grant.flowId,
      login_session_id: grant.loginSessionId ?? '',
      acr: grant.acr,
      amr: grant.amr,
      context: grant.context
    }
  }
}

export function logoutRequestToWire (opened: OpenedLogout): Record<string, unknown> {
  const { logout } = opened
  return {
    challenge: opened.challenge,
    subject: logout.subject,
    sid: logout.sid,
    request_url: logout.requestUrl,
    rp_initiated: logout.isRpInitiated,
    expires_at: rfc3339(fromEpochSeconds(logout.expiresAt)),
    requested_at: rfc3339(fromEpochSeconds(logout.requestedAt)),
    client: clientWire(opened.client)
  }
}
