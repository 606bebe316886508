// ClientsStore on SQL (table hydra_client, as Hydra's): list fields as JSON text, lifespans as bigint nanoseconds.
import type { Kysely, Selectable } from 'kysely'
import { LIFESPAN_KEYS, type LifespanKey, type LifespansMs, type OAuth2Client } from '../../clients/client.js'
import type { ClientListQuery, ClientsStore } from '../../clients/clients.store.js'
import type { Database } from './database.js'
import { isUniqueViolation } from './driver-errors.js'

type LifespanColumn = `${string}_lifespan`

interface ClientTable {
  id: string
  nid: string
  client_name: string
  client_secret: string
  rotated_secrets: string | string[] | null
  redirect_uris: string
  grant_types: string
  response_types: string
  scope: string
  owner: string
  policy_uri: string
  tos_uri: string
  client_uri: string
  logo_uri: string
  contacts: string
  client_secret_expires_at: number
  sector_identifier_uri: string
  jwks: string
  jwks_uri: string
  request_uris: string
  token_endpoint_auth_method: string
  token_endpoint_auth_signing_alg: string
  request_object_signing_alg: string
  userinfo_signed_response_alg: string
  subject_type: string
  allowed_cors_origins: string
  audience: string
  created_at: Date
  updated_at: Date
  frontchannel_logout_uri: string
  frontchannel_logout_session_required: boolean
  post_logout_redirect_uris: string
  backchannel_logout_uri: string
  backchannel_logout_session_required: boolean
  metadata: string
  registration_access_token_signature: string
  access_token_strategy: string
  skip_consent: boolean
  skip_logout_consent: boolean | null
  [lifespan: LifespanColumn]: number | string | null
}

// A type alias (not an interface) so it satisfies Kysely's Record constraint.
export type ClientsTables = {
  hydra_client: ClientTable
}

type ClientRow = Selectable<ClientTable>
type ClientsDb = Kysely<ClientsTables>

const NS_PER_MS = 1_000_000

function lifespanColumn (key: LifespanKey): LifespanColumn {
  return `${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_lifespan` as LifespanColumn
}

// Hydra writes a nil list as "[]" and reads it back as an empty list; null survives only in memory.
const listToText = (list: string[] | null): string => JSON.stringify(list ?? [])

// PostgreSQL JSONB and mysql2 JSON arrive parsed; TEXT (and MariaDB's JSON alias) arrives as a string.
function parseJson (value: unknown, fallback: unknown): unknown {
  if (typeof value !== 'string') return value ?? fallback
  if (value === '') return fallback
  try {
    return JSON.parse(value) as unknown
  } catch {
    return fallback
  }
}

function textToList (value: unknown): string[] {
  const parsed = parseJson(value, [])
  return Array.isArray(parsed) ? parsed.map(String) : []
}

function toRow (client: OAuth2Client, nid: string): ClientRow {
  const row: ClientRow = {
    id: client.id,
    nid,
    client_name: client.name,
    client_secret: client.secretHash,
    rotated_secrets: JSON.stringify(client.rotatedSecretHashes),
    redirect_uris: listToText(client.redirectUris),
    grant_types: listToText(client.grantTypes),
    response_types: listToText(client.responseTypes),
    scope: client.scope,
    owner: client.owner,
    policy_uri: client.policyUri,
    tos_uri: client.tosUri,
    client_uri: client.clientUri,
    logo_uri: client.logoUri,
    contacts: listToText(client.contacts),
    client_secret_expires_at: client.secretExpiresAt,
    sector_identifier_uri: client.sectorIdentifierUri,
    jwks: client.jwks === null ? '{}' : JSON.stringify(client.jwks),
    jwks_uri: client.jwksUri,
    request_uris: listToText(client.requestUris),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    token_endpoint_auth_signing_alg: client.tokenEndpointAuthSigningAlg,
    request_object_signing_alg: client.requestObjectSigningAlg,
    userinfo_signed_response_alg: client.userinfoSignedResponseAlg,
    subject_type: client.subjectType,
    allowed_cors_origins: listToText(client.allowedCorsOrigins),
    audience: listToText(client.audience),
    created_at: client.createdAt,
    updated_at: client.updatedAt,
    frontchannel_logout_uri: client.frontchannelLogoutUri,
    frontchannel_logout_session_required: client.frontchannelLogoutSessionRequired,
    post_logout_redirect_uris: listToText(client.postLogoutRedirectUris),
    backchannel_logout_uri: client.backchannelLogoutUri,
    backchannel_logout_session_required: client.backchannelLogoutSessionRequired,
    metadata: client.metadata === undefined ? '{}' : JSON.stringify(client.metadata),
    registration_access_token_signature: client.registrationAccessTokenSignature,
    access_token_strategy: client.accessTokenStrategy,
    skip_consent: client.skipConsent,
    skip_logout_consent: client.skipLogoutConsent
  }
  for (const key of LIFESPAN_KEYS) {
    const ms = client.lifespansMs[key]
    // Kept as a decimal string so values beyond 2^53 ns reach the BIGINT column exactly.
    row[lifespanColumn(key)] = ms === null ? null : BigInt(Math.round(ms * NS_PER_MS)).toString()
  }
  return row
}

function jwksOf (value: unknown): OAuth2Client['jwks'] {
  const parsed = parseJson(value, {}) as { keys?: unknown }
  return Array.isArray(parsed?.keys) ? { keys: parsed.keys as Array<Record<string, unknown>> } : null
}

function lifespansOf (row: ClientRow): LifespansMs {
  const result = {} as LifespansMs
  for (const key of LIFESPAN_KEYS) {
    const value = row[lifespanColumn(key)]
    result[key] = value === null || value === undefined ? null : Number(BigInt(value)) / NS_PER_MS
  }
  return result
}

function fromRow (row: ClientRow): OAuth2Client {
  const metadata = parseJson(row.metadata, {})
  return {
    id: row.id,
    name: row.client_name,
    secretHash: row.client_secret,
    rotatedSecretHashes: textToList(row.rotated_secrets),
    redirectUris: textToList(row.redirect_uris),
    grantTypes: textToList(row.grant_types),
    responseTypes: textToList(row.response_types),
    scope: row.scope,
    audience: textToList(row.audience),
    owner: row.owner,
    policyUri: row.policy_uri,
    allowedCorsOrigins: textToList(row.allowed_cors_origins),
    tosUri: row.tos_uri,
    clientUri: row.client_uri,
    logoUri: row.logo_uri,
    contacts: textToList(row.contacts),
    secretExpiresAt: Number(row.client_secret_expires_at),
    subjectType: row.subject_type,
    sectorIdentifierUri: row.sector_identifier_uri,
    jwksUri: row.jwks_uri,
    jwks: jwksOf(row.jwks),
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    tokenEndpointAuthSigningAlg: row.token_endpoint_auth_signing_alg,
    requestUris: textToList(row.request_uris),
    requestObjectSigningAlg: row.request_object_signing_alg,
    userinfoSignedResponseAlg: row.userinfo_signed_response_alg,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    frontchannelLogoutUri: row.frontchannel_logout_uri,
    frontchannelLogoutSessionRequired: Boolean(row.frontchannel_logout_session_required),
    postLogoutRedirectUris: textToList(row.post_logout_redirect_uris),
    backchannelLogoutUri: row.backchannel_logout_uri,
    backchannelLogoutSessionRequired: Boolean(row.backchannel_logout_session_required),
    metadata,
    registrationAccessTokenSignature: row.registration_access_token_signature,
    accessTokenStrategy: row.access_token_strategy,
    skipConsent: Boolean(row.skip_consent),
    skipLogoutConsent: row.skip_logout_consent === null ? null : Boolean(row.skip_logout_consent),
    lifespansMs: lifespansOf(row)
  }
}

export class SqlClientsStore implements ClientsStore {
  private readonly database: Database
  private readonly db: ClientsDb

  constructor (database: Database) {
    this.database = database
    this.db = database.db.withTables<ClientsTables>() as unknown as ClientsDb
  }

  // Read per call: the network is resolved on connect(), possibly after the store was built.
  private get nid (): string { return this.database.networkId }

  async insertClient (client: OAuth2Client): Promise<boolean> {
    try {
      await this.db.insertInto('hydra_client').values(toRow(client, this.nid)).execute()
      return true
    } catch (error) {
      if (isUniqueViolation(error)) return false
      throw error
    }
  }

  async getClient (id: string): Promise<OAuth2Client | undefined> {
    const row = await this.db.selectFrom('hydra_client').selectAll()
      .where('nid', '=', this.nid).where('id', '=', id).executeTakeFirst()
    return row === undefined ? undefined : fromRow(row)
  }

  async updateClient (client: OAuth2Client): Promise<boolean> {
    const { id, nid, created_at: createdAt, ...changes } = toRow(client, this.nid)
    const result = await this.db.updateTable('hydra_client').set(changes)
      .where('nid', '=', nid).where('id', '=', id).executeTakeFirst()
    // MySQL counts changed rows by default; an update that changes nothing still found the row.
    if (Number(result.numUpdatedRows) > 0) return true
    return this.database.dialect === 'mysql' && await this.getClient(id) !== undefined
  }

  async deleteClient (id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('hydra_client')
      .where('nid', '=', this.nid).where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async listClients (query: ClientListQuery): Promise<OAuth2Client[]> {
    let select = this.db.selectFrom('hydra_client').selectAll().where('nid', '=', this.nid)
    if (query.name !== undefined) select = select.where('client_name', '=', query.name)
    if (query.owner !== undefined) select = select.where('owner', '=', query.owner)
    if (query.afterId !== undefined && query.afterId !== '') select = select.where('id', '>', query.afterId)
    const rows = await select.orderBy('id', 'asc').limit(query.limit).execute()
    return rows.map(fromRow)
  }
}
