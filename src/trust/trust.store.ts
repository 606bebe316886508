// Storage of JWT-bearer trust relationships (Hydra's hydra_oauth2_trusted_jwt_bearer_issuer; persistence/sql/trust.sql.ts).

/** One trust relationship: `issuer` may assert `subject` (or any subject) for `scope`, signed by key (keySet, keyId). */
export interface TrustGrant {
  /** UUID v4. */
  id: string
  issuer: string
  /** '' when allowAnySubject. */
  subject: string
  allowAnySubject: boolean
  scope: string[]
  /** The hydra_jwk set holding the public key: always the issuer (Hydra groups an issuer's keys in one set). */
  keySet: string
  keyId: string
  createdAt: Date
  expiresAt: Date
}

/** Raised by insert when (issuer, subject, key id) is already trusted in the network. */
export class DuplicateTrustError extends Error {
  constructor () {
    super('a trust relationship for this issuer, subject and key id exists already')
    this.name = 'DuplicateTrustError'
  }
}

export interface TrustListQuery {
  /** Only this issuer; all when undefined. */
  issuer?: string
  /** Keyset pagination: ids strictly after this one ('' = from the start), ascending. */
  afterId: string
  limit: number
}

export interface TrustLookup {
  issuer: string
  subject: string
  /** Only relationships using this key id; all keys of the issuer when undefined. */
  keyId?: string
  /** Relationships that expired at or before this instant are ignored. */
  now: Date
  limit: number
}

export interface TrustStore {
  /** DuplicateTrustError on a duplicate; the key (keySet, keyId) must exist in hydra_jwk. */
  insert(grant: TrustGrant): Promise<void>
  find(id: string): Promise<TrustGrant | undefined>
  /** Ordered by id. */
  list(query: TrustListQuery): Promise<TrustGrant[]>
  /** False when there was no such relationship. */
  delete(id: string): Promise<boolean>
  /** Unexpired relationships of (issuer, subject or any subject), newest first. */
  findActive(lookup: TrustLookup): Promise<TrustGrant[]>
  /** Janitor: deletes relationships that expired before `before`; returns how many went. */
  deleteExpired(before: Date): Promise<number>
}
