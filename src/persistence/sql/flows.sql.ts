// FlowsStore on SQL: completed grants in hydra_oauth2_flow (written once, at the consent verifier) plus sessions.
import type { Kysely, Selectable } from 'kysely'
import type { ConsentSessionQuery, FlowsStore, LoginSession, StoredGrant } from '../../flows/flows.store.js'
import type { Database } from './database.js'
import { isUniqueViolation } from './driver-errors.js'
import { SqlLoginSessions, type SessionTables } from './sessions.sql.js'

type FlowTable = {
  login_challenge: string
  nid: string
  requested_scope: string
  requested_at_audience: string
  request_url: string
  login_skip: boolean
  subject: string
  oidc_context: string
  client_id: string
  requested_at: Date
  login_session_id: string | null
  login_remember: boolean
  login_remember_for: number
  login_extend_session_lifespan: boolean
  login_authenticated_at: Date | null
  acr: string
  amr: string
  context: string
  forced_subject_identifier: string
  identity_provider_session_id: string
  consent_challenge_id: string
  consent_skip: boolean
  consent_remember: boolean
  consent_remember_for: number
  consent_handled_at: Date | null
  granted_scope: string
  granted_at_audience: string
  session_access_token: string
  session_id_token: string
  state: number
  expires_at: Date | null
}

export type FlowTables = SessionTables & { hydra_oauth2_flow: FlowTable }
type FlowsDb = Kysely<FlowTables>

/** Hydra's flow state "consent used" (flow/flow.go): the only state a stored row has in Warden. */
const STATE_CONSENT_USED = 6

// PostgreSQL JSON columns would arrive parsed; ours are TEXT everywhere, but stay tolerant.
function parseJson<T> (value: unknown, fallback: T): T {
  if (typeof value !== 'string') return (value ?? fallback) as T
  if (value === '') return fallback
  try { return JSON.parse(value) as T } catch { return fallback }
}

const toDate = (value: Date | string | null): Date | null => value === null ? null : value instanceof Date ? value : new Date(value)

function toRow (grant: StoredGrant, nid: string): FlowTable {
  return {
    login_challenge: grant.flowId,
    nid,
    requested_scope: JSON.stringify(grant.requestedScope),
    requested_at_audience: JSON.stringify(grant.requestedAudience),
    request_url: grant.requestUrl,
    login_skip: grant.loginSkip,
    subject: grant.subject,
    oidc_context: JSON.stringify(grant.oidcContext),
    client_id: grant.clientId,
    requested_at: grant.requestedAt,
    login_session_id: grant.loginSessionId,
    login_remember: grant.loginRemember,
    login_remember_for: grant.loginRememberFor,
    login_extend_session_lifespan: grant.loginExtendSessionLifespan,
    login_authenticated_at: grant.authenticatedAt,
    acr: grant.acr,
    amr: JSON.stringify(grant.amr),
    context: JSON.stringify(grant.context ?? {}),
    forced_subject_identifier: grant.forcedSubjectIdentifier,
    identity_provider_session_id: grant.identityProviderSessionId,
    consent_challenge_id: grant.consentRequestId,
    consent_skip: grant.consentSkip,
    consent_remember: grant.consentRemember,
    consent_remember_for: grant.consentRememberFor,
    consent_handled_at: grant.consentHandledAt,
    granted_scope: JSON.stringify(grant.grantedScope),
    granted_at_audience: JSON.stringify(grant.grantedAudience),
    session_access_token: JSON.stringify(grant.sessionAccessToken),
    session_id_token: JSON.stringify(grant.sessionIdToken),
    state: STATE_CONSENT_USED,
    expires_at: grant.expiresAt
  }
}

function fromRow (row: Selectable<FlowTable>): StoredGrant {
  return {
    flowId: row.login_challenge,
    consentRequestId: row.consent_challenge_id,
    clientId: row.client_id,
    subject: row.subject,
    requestUrl: row.request_url,
    requestedScope: parseJson(row.requested_scope, []),
    requestedAudience: parseJson(row.requested_at_audience, []),
    loginSkip: Boolean(row.login_skip),
    oidcContext: parseJson(row.oidc_context, {}),
    requestedAt: toDate(row.requested_at) as Date,
    loginSessionId: row.login_session_id,
    loginRemember: Boolean(row.login_remember),
    loginRememberFor: Number(row.login_remember_for),
    loginExtendSessionLifespan: Boolean(row.login_extend_session_lifespan),
    authenticatedAt: toDate(row.login_authenticated_at),
    acr: row.acr,
    amr: parseJson(row.amr, []),
    context: parseJson(row.context, {}),
    forcedSubjectIdentifier: row.forced_subject_identifier,
    identityProviderSessionId: row.identity_provider_session_id,
    consentSkip: Boolean(row.consent_skip),
    consentRemember: Boolean(row.consent_remember),
    consentRememberFor: Number(row.consent_remember_for),
    consentHandledAt: toDate(row.consent_handled_at),
    grantedScope: parseJson(row.granted_scope, []),
    grantedAudience: parseJson(row.granted_at_audience, []),
    sessionAccessToken: parseJson(row.session_access_token, {}),
    sessionIdToken: parseJson(row.session_id_token, {}),
    expiresAt: toDate(row.expires_at)
  }
}

export class SqlFlowsStore extends SqlLoginSessions implements FlowsStore {
  private readonly flows: FlowsDb

  constructor (database: Database) {
    super(database)
    this.flows = database.db.withTables<FlowTables>() as unknown as FlowsDb
  }

  async insertGrant (grant: StoredGrant): Promise<boolean> {
    try {
      await this.flows.insertInto('hydra_oauth2_flow').values(toRow(grant, this.nid)).execute()
      return true
    } catch (error) {
      if (isUniqueViolation(error)) return false
      throw error
    }
  }

  async isFlowCompleted (flowId: string): Promise<boolean> {
    const row = await this.flows.selectFrom('hydra_oauth2_flow').select('login_challenge')
      .where('nid', '=', this.nid).where('login_challenge', '=', flowId).limit(1).executeTakeFirst()
    return row !== undefined
  }

  async findRememberedGrants (clientId: string, subject: string, now: Date): Promise<StoredGrant[]> {
    const rows = await this.flows.selectFrom('hydra_oauth2_flow').selectAll()
      .where('nid', '=', this.nid).where('client_id', '=', clientId).where('subject', '=', subject)
      .where('consent_remember', '=', true).where('consent_skip', '=', false)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('requested_at', 'desc').limit(1).execute()
    return rows.map(fromRow)
  }

  async listConsentSessions (query: ConsentSessionQuery): Promise<StoredGrant[]> {
    let select = this.flows.selectFrom('hydra_oauth2_flow').selectAll()
      .where('nid', '=', this.nid).where('subject', '=', query.subject).where('consent_skip', '=', false)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', query.now)]))
    if (query.loginSessionId !== undefined) select = select.where('login_session_id', '=', query.loginSessionId)
    if (query.afterFlowId !== undefined) select = select.where('login_challenge', '>', query.afterFlowId)
    const rows = await select.orderBy('login_challenge', 'asc').limit(query.limit).execute()
    return rows.map(fromRow)
  }

  async revokeConsentsOfSubject (subject: string, clientId: string | undefined): Promise<void> {
    let remove = this.flows.deleteFrom('hydra_oauth2_flow').where('nid', '=', this.nid).where('subject', '=', subject)
    if (clientId !== undefined) remove = remove.where('client_id', '=', clientId)
    await remove.execute()
  }

  async revokeConsentById (consentRequestId: string): Promise<void> {
    await this.flows.deleteFrom('hydra_oauth2_flow').where('nid', '=', this.nid)
      .where('consent_challenge_id', '=', consentRequestId).execute()
  }

  async clientIdsOfLoginSession (loginSessionId: string, subject: string): Promise<string[]> {
    const rows = await this.flows.selectFrom('hydra_oauth2_flow').select('client_id').distinct()
      .where('nid', '=', this.nid).where('login_session_id', '=', loginSessionId).where('subject', '=', subject).execute()
    return rows.map((row) => row.client_id)
  }
}

export type { LoginSession }
