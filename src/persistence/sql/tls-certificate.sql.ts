// TlsCertificateStore on the warden_tls_certificate table: one row per network, first writer wins.
import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { StoredTlsCertificate, TlsCertificateStore } from '../../keys/tls-certificate.store.js'
import type { CoreTables, Database } from './database.js'

// A type alias, not an interface: withTables() needs an index-signature-compatible record.
type TlsCertificateTables = {
  warden_tls_certificate: {
    id: string
    nid: string
    sealed_private_key: string
    certificate_pem: string
    created_at: Date | string
  }
}

export class SqlTlsCertificateStore implements TlsCertificateStore {
  readonly #database: Database
  readonly #db: Kysely<CoreTables & TlsCertificateTables>

  constructor (database: Database) {
    this.#database = database
    this.#db = database.db.withTables<TlsCertificateTables>()
  }

  async find (): Promise<StoredTlsCertificate | undefined> {
    const row = await this.#db.selectFrom('warden_tls_certificate')
      .select(['sealed_private_key', 'certificate_pem', 'created_at'])
      .where('nid', '=', this.#database.networkId)
      .executeTakeFirst()
    if (row === undefined) return undefined
    return { sealedPrivateKeyPem: row.sealed_private_key, certificatePem: row.certificate_pem, createdAt: new Date(row.created_at) }
  }

  /** Relies on the unique nid: a losing replica's insert is ignored and it reads the winner's row. */
  async insertIfAbsent (candidate: StoredTlsCertificate): Promise<StoredTlsCertificate> {
    const insert = this.#db.insertInto('warden_tls_certificate').values({
      id: randomUUID(),
      nid: this.#database.networkId,
      sealed_private_key: candidate.sealedPrivateKeyPem,
      certificate_pem: candidate.certificatePem,
      created_at: candidate.createdAt
    })
    if (this.#database.dialect === 'mysql') {
      // A no-op update: unlike INSERT IGNORE it does not also swallow other errors (bad data, missing network).
      await insert.onDuplicateKeyUpdate({ nid: sql`nid` }).execute()
    } else {
      await insert.onConflict((conflict) => conflict.column('nid').doNothing()).execute()
    }
    const stored = await this.find()
    if (stored === undefined) throw new Error('the TLS certificate vanished right after it was stored')
    return stored
  }
}
