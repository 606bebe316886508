// The dialect matrix for tests: SQLite always, PostgreSQL / MySQL when their env DSNs are set; fresh database per call.
//
// Usage in a test file (each entry is one dialect; run your suite once per entry):
//
//   import { after, describe, test } from 'node:test'
//   import { testDialects, openMigratedTestDatabase } from '../../test/support/databases.js'
//
//   for (const entry of testDialects()) {
//     describe(`my store on ${entry.dialect}`, () => {
//       after(() => entry.dropFreshDatabases())          // drops every database this entry created
//       test('...', async () => {
//         const database = await openMigratedTestDatabase(entry)   // fresh, migrated, connected (networkId set)
//         try { ... } finally { await database.close() }
//       })
//     })
//   }
//
// Environment (Hydra's names): TEST_DATABASE_POSTGRESQL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable',
// TEST_DATABASE_MYSQL='mysql://root@127.0.0.1:3306/test'. The DSN's user must be allowed to CREATE/DROP DATABASE;
// each fresh database is named warden_test_<random hex> and the DSN returned points at it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Dialect } from '../../src/persistence/sql/database.js'
import { openDatabase, type SqlDatabase } from '../../src/persistence/sql/db.js'
import { migrateUp, type MigratorOptions } from '../../src/persistence/sql/migrator.js'

export interface TestDialect {
  dialect: Dialect
  /** A DSN for a brand-new, empty database (SQLite: a new file in a temp folder). */
  createFreshDsn(): Promise<string>
  /** Drops every database (or file) this entry created; call it in `after()`. */
  dropFreshDatabases(): Promise<void>
}

function freshName (): string {
  return `warden_test_${randomBytes(8).toString('hex')}`
}

function sqliteEntry (): TestDialect {
  const folders: string[] = []
  return {
    dialect: 'sqlite',
    async createFreshDsn () {
      const folder = mkdtempSync(join(tmpdir(), 'warden-test-'))
      folders.push(folder)
      return `sqlite://${join(folder, 'db.sqlite')}?_fk=true`
    },
    async dropFreshDatabases () {
      for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
    }
  }
}

/** PostgreSQL or MySQL: databases are created and dropped through the admin DSN from the environment. */
function serverEntry (dialect: 'postgres' | 'mysql', adminDsn: string): TestDialect {
  const created: string[] = []
  const withAdmin = async (work: (admin: SqlDatabase) => Promise<void>): Promise<void> => {
    const admin = openDatabase(adminDsn)
    try { await work(admin) } finally { await admin.close() }
  }
  const quote = (name: string): string => dialect === 'mysql' ? `\`${name}\`` : `"${name}"`
  return {
    dialect,
    async createFreshDsn () {
      const name = freshName()
      await withAdmin(async (admin) => { await sql.raw(`create database ${quote(name)}`).execute(admin.db) })
      created.push(name)
      return withDatabaseName(adminDsn, name)
    },
    async dropFreshDatabases () {
      const names = created.splice(0)
      if (names.length === 0) return
      // In parallel: each DROP waits for a checkpoint on PostgreSQL, and they overlap well.
      const force = dialect === 'postgres' ? ' with (force)' : ''
      await withAdmin(async (admin) => {
        await Promise.all(names.map(async (name) => { await sql.raw(`drop database if exists ${quote(name)}${force}`).execute(admin.db) }))
      })
    }
  }
}

/** Replaces the database part of a URL-form or Go-form DSN, keeping credentials and query options. */
export function withDatabaseName (dsn: string, name: string): string {
  const query = dsn.indexOf('?')
  const base = query === -1 ? dsn : dsn.slice(0, query)
  const rest = query === -1 ? '' : dsn.slice(query)
  const slash = base.lastIndexOf('/')
  if (slash < base.indexOf('//') + 2) return `${base}/${name}${rest}`
  return `${base.slice(0, slash)}/${name}${rest}`
}

export function testDialects (): TestDialect[] {
  const entries = [sqliteEntry()]
  const postgres = process.env.TEST_DATABASE_POSTGRESQL
  if (postgres !== undefined && postgres !== '') entries.push(serverEntry('postgres', postgres))
  const mysql = process.env.TEST_DATABASE_MYSQL
  if (mysql !== undefined && mysql !== '') entries.push(serverEntry('mysql', mysql))
  return entries
}

/** A fresh database with every migration applied, connected and with its network id resolved. Close it. */
export async function openMigratedTestDatabase (entry: TestDialect, options: MigratorOptions = {}): Promise<SqlDatabase> {
  const database = openDatabase(await entry.createFreshDsn())
  try {
    await database.connect({ resolveNetwork: false, giveUpAfterMs: 10_000 })
    await migrateUp(database, options)
    await database.resolveNetwork()
    return database
  } catch (error) {
    await database.close()
    throw error
  }
}
