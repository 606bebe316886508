// Storage of OAuth 2.0 clients (Hydra's client.Storage), implemented per dialect in persistence/sql/clients.sql.ts.
import type { OAuth2Client } from './client.js'

export interface ClientListQuery {
  /** Exact match on client_name, when given. */
  name?: string
  /** Exact match on owner, when given. */
  owner?: string
  /** Keyset cursor: only clients whose id sorts after this one. */
  afterId?: string
  /** Maximum number of rows to return. */
  limit: number
}

export interface ClientsStore {
  /** Inserts the client; resolves false (and changes nothing) when the id is taken in this network. */
  insertClient(client: OAuth2Client): Promise<boolean>
  getClient(id: string): Promise<OAuth2Client | undefined>
  /** Replaces every stored field of the client with `client.id` (created_at excepted); false when unknown. */
  updateClient(client: OAuth2Client): Promise<boolean>
  /** Deletes the client; rows of other tables that reference it go with it (FK cascade). False when unknown. */
  deleteClient(id: string): Promise<boolean>
  /** Clients ordered by id ascending. */
  listClients(query: ClientListQuery): Promise<OAuth2Client[]>
}
