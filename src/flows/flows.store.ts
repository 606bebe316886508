// Storage the flow engine needs: completed grants (hydra_oauth2_flow), login sessions and forced pairwise ids.

/** A completed login + consent (a row of hydra_oauth2_flow), as consent-session listing and skipping need it. */
export interface StoredGrant {
  /** The flow id (Hydra's `login_challenge` column: the internal 32-hex id, not the sealed challenge). */
  flowId: string
  consentRequestId: string
  clientId: string
  subject: string
  requestUrl: string
  requestedScope: string[]
  requestedAudience: string[]
  loginSkip: boolean
  oidcContext: Record<string, unknown>
  requestedAt: Date
  loginSessionId: string | null
  loginRemember: boolean
  loginRememberFor: number
  loginExtendSessionLifespan: boolean
  authenticatedAt: Date | null
  acr: string
  amr: string[]
  context: unknown
  forcedSubjectIdentifier: string
  identityProviderSessionId: string
  consentSkip: boolean
  consentRemember: boolean
  consentRememberFor: number
  consentHandledAt: Date | null
  grantedScope: string[]
  grantedAudience: string[]
  sessionAccessToken: Record<string, unknown>
  sessionIdToken: Record<string, unknown>
  /** null: remembered forever (remember_for 0). */
  expiresAt: Date | null
}

export interface LoginSession {
  id: string
  subject: string
  authenticatedAt: Date | null
  remember: boolean
  identityProviderSessionId: string
  expiresAt: Date | null
}

export interface ConsentSessionQuery {
  subject: string
  loginSessionId?: string
  now: Date
  limit: number
  /** Keyset cursor: rows with flowId greater than this. */
  afterFlowId?: string
}

export interface FlowsStore {
  /** Inserts the grant; false when its flow id or consent request id exists already (a replayed verifier). */
  insertGrant(grant: StoredGrant): Promise<boolean>
  /** The newest remembered, non-skipped, unexpired grant of (client, subject), for consent skipping (§3.5). */
  findRememberedGrants(clientId: string, subject: string, now: Date): Promise<StoredGrant[]>
  listConsentSessions(query: ConsentSessionQuery): Promise<StoredGrant[]>
  /** Deletes grants (and, by cascade, their tokens); `clientId` undefined = every client. */
  revokeConsentsOfSubject(subject: string, clientId: string | undefined): Promise<void>
  revokeConsentById(consentRequestId: string): Promise<void>
  /** Whether the grant of this flow was written, i.e. its consent verifier was redeemed (410 for its challenges). */
  isFlowCompleted(flowId: string): Promise<boolean>
  /** Client ids of grants made in a login session, for logout notifications. */
  clientIdsOfLoginSession(loginSessionId: string, subject: string): Promise<string[]>

  getLoginSession(id: string): Promise<LoginSession | undefined>
  upsertLoginSession(session: LoginSession): Promise<void>
  /** true when a row was deleted (the caller alone then runs logout side effects). */
  deleteLoginSession(id: string): Promise<boolean>
  deleteLoginSessionsOfSubject(subject: string): Promise<void>

  /** The forced pairwise id of (client, subject), if any (force_subject_identifier, §3.8). */
  getForcedSubject(clientId: string, subject: string): Promise<string | undefined>
  upsertForcedSubject(clientId: string, subject: string, obfuscated: string): Promise<void>
}
