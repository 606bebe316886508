// TrustStore on SQL: hydra_oauth2_trusted_jwt_bearer_issuer (see migration 20261129000500), scoped by network.
import type { Kysely, Selectable } from 'kysely'
import { DuplicateTrustError, type TrustGrant, type TrustListQuery, type TrustLookup, type TrustStore } from '../../trust/trust.store.js'
import type { Database } from './database.js'
import { isUniqueViolation } from './driver-errors.js'

interface TrustTable {
  id: string
  nid: string
  issuer: string
  subject: string
  allow_any_subject: boolean | number
  scope: string
  key_set: string
  key_id: string
  created_at: Date
  expires_at: Date
}

export type TrustTables = {
  hydra_oauth2_trusted_jwt_bearer_issuer: TrustTable
}

type TrustDb = Kysely<TrustTables>

const TABLE = 'hydra_oauth2_trusted_jwt_bearer_issuer'
const toDate = (value: Date | string): Date => value instanceof Date ? value : new Date(value)

function fromRow (row: Selectable<TrustTable>): TrustGrant {
  return {
    id: row.id,
    issuer: row.issuer,
    subject: row.subject,
    allowAnySubject: row.allow_any_subject === true || row.allow_any_subject === 1,
    // Hydra stores lists pipe-delimited.
    scope: row.scope === '' ? [] : row.scope.split('|'),
    keySet: row.key_set,
    keyId: row.key_id,
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at)
  }
}

export class SqlTrustStore implements TrustStore {
  private readonly db: TrustDb
  private readonly database: Database

  constructor (database: Database) {
    this.database = database
    this.db = database.db.withTables<TrustTables>() as unknown as TrustDb
  }

  // Read per call: the network is resolved on connect(), after the store may have been built.
  private get nid (): string { return this.database.networkId }

  async insert (grant: TrustGrant): Promise<void> {
    try {
      await this.db.insertInto(TABLE).values({
        id: grant.id,
        nid: this.nid,
        issuer: grant.issuer,
        subject: grant.subject,
        allow_any_subject: grant.allowAnySubject,
        scope: grant.scope.join('|'),
        key_set: grant.keySet,
        key_id: grant.keyId,
        created_at: grant.createdAt,
        expires_at: grant.expiresAt
      }).execute()
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateTrustError()
      throw error
    }
  }

  async find (id: string): Promise<TrustGrant | undefined> {
    const row = await this.db.selectFrom(TABLE).selectAll().where('nid', '=', this.nid).where('id', '=', id).executeTakeFirst()
    return row === undefined ? undefined : fromRow(row)
  }

  async list (query: TrustListQuery): Promise<TrustGrant[]> {
    let select = this.db.selectFrom(TABLE).selectAll().where('nid', '=', this.nid)
    if (query.issuer !== undefined) select = select.where('issuer', '=', query.issuer)
    if (query.afterId !== '') select = select.where('id', '>', query.afterId)
    return (await select.orderBy('id', 'asc').limit(query.limit).execute()).map(fromRow)
  }

  async delete (id: string): Promise<boolean> {
    const result = await this.db.deleteFrom(TABLE).where('nid', '=', this.nid).where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async findActive (lookup: TrustLookup): Promise<TrustGrant[]> {
    let select = this.db.selectFrom(TABLE).selectAll()
      .where('nid', '=', this.nid)
      .where('issuer', '=', lookup.issuer)
      .where((eb) => eb.or([eb('subject', '=', lookup.subject), eb('allow_any_subject', '=', true)]))
      .where('expires_at', '>', lookup.now)
    if (lookup.keyId !== undefined) select = select.where('key_id', '=', lookup.keyId)
    return (await select.orderBy('created_at', 'desc').orderBy('id', 'asc').limit(lookup.limit).execute()).map(fromRow)
  }

  async deleteExpired (before: Date): Promise<number> {
    const result = await this.db.deleteFrom(TABLE).where('nid', '=', this.nid).where('expires_at', '<', before).executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}
