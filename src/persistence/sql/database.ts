// The handle every SQL store receives: a Kysely instance plus what the dialect needs to know.
import type { Kysely } from 'kysely'

export type Dialect = 'sqlite' | 'postgres' | 'mysql'

/**
 * Tables owned by the persistence machinery itself. Domain stores widen this with
 * `database.db.withTables<TheirTables>()` so no single file lists every table (declare TheirTables with
 * `type X = { ... }`, not `interface`: withTables needs a type that fits Record<string, ...>).
 *
 * Conventions every migration and store can rely on (db.ts / dialects.ts make them true on all dialects):
 *   - `nid VARCHAR(36) NOT NULL` referencing `networks (id) ON DELETE CASCADE` (MySQL: a table-level FOREIGN KEY;
 *     it ignores inline REFERENCES). Filter every query by `database.networkId`.
 *   - Pass Date objects, never formatted strings: they are stored as UTC and TIMESTAMP (PostgreSQL, SQLite) /
 *     DATETIME(3) (MySQL) columns come back as Date. Sessions run in UTC, so CURRENT_TIMESTAMP agrees.
 *   - BOOLEAN columns (MySQL: TINYINT(1)) come back as boolean; booleans can be passed on SQLite too.
 *   - BIGINT and COUNT(*) come back as number when safe, as a decimal string beyond 2^53.
 *   - JSON: store text (TEXT columns) and JSON.parse it yourself; a JSON-typed column would come back parsed on
 *     PostgreSQL and MySQL but as text on SQLite and MariaDB.
 *   - Multi-row writes go through transaction() in transaction.ts.
 */
export interface CoreTables {
  networks: { id: string, created_at: Date | string, updated_at: Date | string }
}

export interface Database {
  readonly db: Kysely<CoreTables>
  readonly dialect: Dialect
  /** The network (tenant) id every row is scoped by, as Hydra's `nid`. */
  readonly networkId: string
  /** Resolves when the database answers; rejects with the driver's reason otherwise. */
  ping(): Promise<void>
  close(): Promise<void>
}
