// Storage of codes, access tokens, refresh tokens and used assertion ids (implemented in persistence/sql/tokens.sql.ts).
import type { RefreshRecord, TokenRecord } from './token.js'

/** Writes that must happen together; `atomically` hands these to its callback inside one transaction. */
export interface TokenWrites {
  insertCode(record: TokenRecord): Promise<void>
  insertAccess(record: TokenRecord): Promise<void>
  insertRefresh(record: RefreshRecord): Promise<void>
  /**
   * Marks an active code used (inactive, expires_at = `keepUntil`). False when it was already inactive or gone,
   * so two concurrent exchanges cannot both succeed.
   */
  useCode(signature: string, keepUntil: Date): Promise<boolean>
  /** The refresh row, locked against concurrent use until the transaction ends; 'locked' when another holds it. */
  lockRefresh(signature: string): Promise<RefreshRecord | undefined | 'locked'>
  /** Marks a refresh token used: inactive, first_used_at set once, used_times + 1, expires_at = `keepUntil`. */
  markRefreshUsed(signature: string, usedAt: Date, keepUntil: Date): Promise<void>
  /** Deactivates every still-active refresh token of a chain (strict rotation). */
  deactivateChainRefresh(requestId: string, keepUntil: Date): Promise<void>
  deleteAccess(signature: string): Promise<void>
  deleteChainAccess(requestId: string): Promise<void>
  /** Deletes every access and refresh token (and code) of a chain. */
  revokeChain(requestId: string): Promise<void>
}

export interface TokensStore extends TokenWrites {
  /** Runs `work` in one transaction (retried on serialization failures, so it must be safe to re-run). */
  atomically<T>(work: (writes: TokenWrites) => Promise<T>): Promise<T>
  findCode(signature: string): Promise<TokenRecord | undefined>
  findAccess(signature: string): Promise<TokenRecord | undefined>
  findRefresh(signature: string): Promise<RefreshRecord | undefined>
  /** Deletes every access token of a client (admin DELETE /admin/oauth2/tokens); refresh tokens stay. */
  deleteClientAccessTokens(clientId: string): Promise<number>
  /**
   * Records a used assertion `jti` (hashed) until `expiresAt`; false when it is already recorded and unexpired.
   * Expired entries are purged on the way.
   */
  useJti(jtiHash: string, expiresAt: Date, now: Date): Promise<boolean>
  /**
   * Janitor: deletes up to `batchSize` rows of one table that expired before `expiredBefore` and returns how
   * many went. Callers loop until it returns less than batchSize.
   */
  deleteExpiredBatch(table: 'access' | 'refresh' | 'code', expiredBefore: Date, batchSize: number): Promise<number>
}
