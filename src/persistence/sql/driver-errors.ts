// What a driver error means, across better-sqlite3, pg and mysql2: the codes differ per database, the stores ask here.

function codesOf (error: unknown): { code?: unknown, errno?: unknown, sqlState?: unknown } {
  return typeof error === 'object' && error !== null ? error as { code?: unknown, errno?: unknown, sqlState?: unknown } : {}
}

/** A duplicate key: SQLSTATE 23505 (PostgreSQL), ER_DUP_ENTRY 1062 (MySQL), SQLITE_CONSTRAINT_PRIMARYKEY / UNIQUE. */
export function isUniqueViolation (error: unknown): boolean {
  const { code, errno } = codesOf(error)
  return code === '23505' || errno === 1062 || code === 'ER_DUP_ENTRY' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/** Any integrity constraint: SQLite's SQLITE_CONSTRAINT_*, or SQLSTATE class 23 on PostgreSQL and MySQL. */
export function isConstraintViolation (error: unknown): boolean {
  const { code, sqlState } = codesOf(error)
  if (typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || /^23\d{3}$/.test(code))) return true
  return typeof sqlState === 'string' && sqlState.startsWith('23')
}

/** A row lock taken with NOWAIT: PostgreSQL lock_not_available, MySQL ER_LOCK_NOWAIT, MariaDB's NOWAIT timeout. */
export function isLockNotAvailable (error: unknown): boolean {
  const { code, errno } = codesOf(error)
  return code === '55P03' || errno === 3572 || errno === 1205
}
