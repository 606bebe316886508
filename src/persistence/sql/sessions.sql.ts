// Login sessions (hydra_oauth2_authentication_session) and forced pairwise ids, the session half of FlowsStore.
import type { Kysely, Selectable } from 'kysely'
import type { LoginSession } from '../../flows/flows.store.js'
import type { Database } from './database.js'
import { isUniqueViolation } from './driver-errors.js'

type SessionTable = {
  id: string
  nid: string
  authenticated_at: Date | null
  subject: string
  remember: boolean
  identity_provider_session_id: string
  expires_at: Date | null
}

type ObfuscatedTable = {
  subject: string
  client_id: string
  subject_obfuscated: string
  nid: string
}

export type SessionTables = {
  hydra_oauth2_authentication_session: SessionTable
  hydra_oauth2_obfuscated_authentication_session: ObfuscatedTable
}

const toDate = (value: Date | string | null): Date | null => value === null ? null : value instanceof Date ? value : new Date(value)

function fromRow (row: Selectable<SessionTable>): LoginSession {
  return {
    id: row.id,
    subject: row.subject,
    authenticatedAt: toDate(row.authenticated_at),
    remember: Boolean(row.remember),
    identityProviderSessionId: row.identity_provider_session_id,
    expiresAt: toDate(row.expires_at)
  }
}

// Deleting a subject's sessions in batches keeps each statement (and its locks) small, as Hydra does.
const DELETE_BATCH = 100

export class SqlLoginSessions {
  protected readonly database: Database
  private readonly sessions: Kysely<SessionTables>

  constructor (database: Database) {
    this.database = database
    this.sessions = database.db.withTables<SessionTables>() as unknown as Kysely<SessionTables>
  }

  // Read per call: the network is resolved on connect(), possibly after the store was built.
  protected get nid (): string { return this.database.networkId }

  async getLoginSession (id: string): Promise<LoginSession | undefined> {
    const row = await this.sessions.selectFrom('hydra_oauth2_authentication_session').selectAll()
      .where('nid', '=', this.nid).where('id', '=', id).executeTakeFirst()
    return row === undefined ? undefined : fromRow(row)
  }

  // Insert first: a login that was not skipped always brings a fresh session id, so this is one statement.
  async upsertLoginSession (session: LoginSession): Promise<void> {
    const values = {
      subject: session.subject,
      authenticated_at: session.authenticatedAt,
      remember: session.remember,
      identity_provider_session_id: session.identityProviderSessionId,
      expires_at: session.expiresAt
    }
    try {
      await this.sessions.insertInto('hydra_oauth2_authentication_session').values({ id: session.id, nid: this.nid, ...values }).execute()
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      await this.sessions.updateTable('hydra_oauth2_authentication_session').set(values)
        .where('nid', '=', this.nid).where('id', '=', session.id).execute()
    }
  }

  async deleteLoginSession (id: string): Promise<boolean> {
    const result = await this.sessions.deleteFrom('hydra_oauth2_authentication_session')
      .where('nid', '=', this.nid).where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async deleteLoginSessionsOfSubject (subject: string): Promise<void> {
    for (;;) {
      const ids = await this.sessions.selectFrom('hydra_oauth2_authentication_session').select('id')
        .where('nid', '=', this.nid).where('subject', '=', subject).limit(DELETE_BATCH).execute()
      if (ids.length === 0) return
      await this.sessions.deleteFrom('hydra_oauth2_authentication_session')
        .where('nid', '=', this.nid).where('id', 'in', ids.map((row) => row.id)).execute()
      if (ids.length < DELETE_BATCH) return
    }
  }

  async getForcedSubject (clientId: string, subject: string): Promise<string | undefined> {
    const row = await this.sessions.selectFrom('hydra_oauth2_obfuscated_authentication_session').select('subject_obfuscated')
      .where('nid', '=', this.nid).where('client_id', '=', clientId).where('subject', '=', subject).executeTakeFirst()
    return row?.subject_obfuscated
  }

  async upsertForcedSubject (clientId: string, subject: string, obfuscated: string): Promise<void> {
    const updated = await this.sessions.updateTable('hydra_oauth2_obfuscated_authentication_session')
      .set({ subject_obfuscated: obfuscated })
      .where('nid', '=', this.nid).where('client_id', '=', clientId).where('subject', '=', subject).executeTakeFirst()
    if (Number(updated.numUpdatedRows) > 0) return
    await this.sessions.insertInto('hydra_oauth2_obfuscated_authentication_session')
      .values({ subject, client_id: clientId, subject_obfuscated: obfuscated, nid: this.nid }).execute()
  }
}
