// DSN parsing: every form Hydra accepts, pool options, tolerated Go options, errors without passwords.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { DsnError, parseDsn, redactDsn, type MysqlDsn, type PostgresDsn, type SqliteDsn } from './dsn.js'

const sqlite = (dsn: string): SqliteDsn => parseDsn(dsn) as SqliteDsn
const postgres = (dsn: string): PostgresDsn => parseDsn(dsn) as PostgresDsn
const mysql = (dsn: string): MysqlDsn => parseDsn(dsn) as MysqlDsn

describe('parseDsn: sqlite', () => {
  test('absolute path with Go options', () => {
    const parsed = sqlite('sqlite:///var/lib/warden/db.sqlite?_fk=true&_journal=WAL')
    assert.equal(parsed.dialect, 'sqlite')
    assert.equal(parsed.filename, '/var/lib/warden/db.sqlite')
    assert.equal(parsed.isMemory, false)
    assert.deepEqual(parsed.ignoredOptions, ['_fk', '_journal'])
  })

  test('relative path resolves against the working directory', () => {
    assert.equal(sqlite('sqlite://./data/db.sqlite').filename, resolve(process.cwd(), 'data/db.sqlite'))
    assert.equal(sqlite('sqlite3://db.sqlite').filename, resolve(process.cwd(), 'db.sqlite'))
  })

  test('in-memory forms', () => {
    for (const dsn of ['memory', 'sqlite://:memory:', 'sqlite://:memory:?_fk=true', 'sqlite://file:abc?mode=memory&cache=shared']) {
      const parsed = sqlite(dsn)
      assert.equal(parsed.dialect, 'sqlite', dsn)
      assert.equal(parsed.isMemory, true, dsn)
      assert.equal(parsed.filename, ':memory:', dsn)
    }
  })

  test('busy timeout option', () => {
    assert.equal(sqlite('sqlite:///tmp/x.sqlite').busyTimeoutMs, 5000)
    assert.equal(sqlite('sqlite:///tmp/x.sqlite?_busy_timeout=250').busyTimeoutMs, 250)
    assert.throws(() => parseDsn('sqlite:///tmp/x.sqlite?_busy_timeout=soon'), DsnError)
  })

  test('missing path', () => {
    assert.throws(() => parseDsn('sqlite://'), /no database file/)
  })
})

describe('parseDsn: postgres', () => {
  test('full URL', () => {
    const parsed = postgres('postgres://hydra:s3cr%40t@db.example.com:6543/hydra?sslmode=disable&application_name=warden')
    assert.equal(parsed.dialect, 'postgres')
    assert.equal(parsed.isCockroach, false)
    assert.equal(parsed.host, 'db.example.com')
    assert.equal(parsed.port, 6543)
    assert.equal(parsed.user, 'hydra')
    assert.equal(parsed.password, 's3cr@t')
    assert.equal(parsed.database, 'hydra')
    assert.equal(parsed.sslMode, 'disable')
    assert.equal(parsed.applicationName, 'warden')
    assert.equal(parsed.redacted, 'postgres://hydra:***@db.example.com:6543/hydra?sslmode=disable&application_name=warden')
  })

  test('postgresql:// and cockroach:// use the postgres driver', () => {
    assert.equal(postgres('postgresql://u@h/db').dialect, 'postgres')
    const cockroach = postgres('cockroach://root@localhost/defaultdb?sslmode=require')
    assert.equal(cockroach.dialect, 'postgres')
    assert.equal(cockroach.isCockroach, true)
    assert.equal(cockroach.port, 26257)
    assert.equal(cockroach.sslMode, 'require')
  })

  test('defaults: port 5432, sslmode prefer, no password', () => {
    const parsed = postgres('postgres://u@h/db')
    assert.equal(parsed.port, 5432)
    assert.equal(parsed.sslMode, 'prefer')
    assert.equal(parsed.password, undefined)
    assert.equal(parsed.connectTimeoutMs, 10_000)
  })

  test('sslmode values and certificate paths', () => {
    for (const mode of ['disable', 'require', 'verify-ca', 'verify-full'] as const) {
      assert.equal(postgres(`postgres://u@h/db?sslmode=${mode}`).sslMode, mode)
    }
    const parsed = postgres('postgres://u@h/db?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pem')
    assert.equal(parsed.sslRootCertPath, '/ca.pem')
    assert.equal(parsed.sslCertPath, '/c.pem')
    assert.equal(parsed.sslKeyPath, '/k.pem')
    assert.throws(() => parseDsn('postgres://u:pw@h/db?sslmode=maybe'), /sslmode "maybe" is not one of/)
  })

  test('connect_timeout in seconds', () => {
    assert.equal(postgres('postgres://u@h/db?connect_timeout=3').connectTimeoutMs, 3000)
  })

  test('bad port', () => {
    assert.throws(() => parseDsn('postgres://u:pw@h:99999/db'), /port "99999"/)
  })
})

describe('parseDsn: mysql', () => {
  test('Go driver form with tcp()', () => {
    const parsed = mysql('mysql://hydra:secret@tcp(mysqld:3307)/hydra?parseTime=true&max_conns=20')
    assert.equal(parsed.dialect, 'mysql')
    assert.equal(parsed.host, 'mysqld')
    assert.equal(parsed.port, 3307)
    assert.equal(parsed.user, 'hydra')
    assert.equal(parsed.password, 'secret')
    assert.equal(parsed.database, 'hydra')
    assert.equal(parsed.pool.maxConns, 20)
    assert.deepEqual(parsed.ignoredOptions, ['parseTime'])
  })

  test('Go form does not %-decode and allows @ and / in the password', () => {
    const parsed = mysql('mysql://root:p@ss/w%rd@tcp(localhost)/db')
    assert.equal(parsed.password, 'p@ss/w%rd')
    assert.equal(parsed.port, 3306)
    assert.equal(parsed.redacted, 'mysql://root:***@tcp(localhost)/db')
  })

  test('Go form unix socket and empty address', () => {
    assert.equal(mysql('mysql://root@unix(/run/mysqld.sock)/db').socketPath, '/run/mysqld.sock')
    const local = mysql('mysql://root:pw@/db')
    assert.equal(local.host, '127.0.0.1')
    assert.equal(local.port, 3306)
  })

  test('URL form', () => {
    const parsed = mysql('mysql://root:s%3Acret@127.0.0.1:3306/test')
    assert.equal(parsed.host, '127.0.0.1')
    assert.equal(parsed.port, 3306)
    assert.equal(parsed.password, 's:cret')
    assert.equal(parsed.database, 'test')
    assert.equal(mysql('mysql://root@db/test').port, 3306)
  })

  test('tls and timeout options', () => {
    assert.equal(mysql('mysql://u@tcp(h)/d?tls=true').tls, 'verify')
    assert.equal(mysql('mysql://u@tcp(h)/d?tls=skip-verify').tls, 'skip-verify')
    assert.equal(mysql('mysql://u@tcp(h)/d').tls, false)
    assert.equal(mysql('mysql://u@tcp(h)/d?timeout=5s').connectTimeoutMs, 5000)
    assert.throws(() => parseDsn('mysql://u@tcp(h)/d?tls=sometimes'), DsnError)
  })

  test('missing database and unknown protocol', () => {
    assert.throws(() => parseDsn('mysql://u:pw@tcp(h:3306)/'), /no database name/)
    assert.throws(() => parseDsn('mysql://u:pw@udp(h:3306)/db'), /protocol "udp"/)
  })
})

describe('parseDsn: pool options', () => {
  test('are applied and stripped', () => {
    const parsed = postgres('postgres://u@h/db?max_conns=7&max_idle_conns=3&max_conn_lifetime=1h&max_conn_idle_time=30s&sslmode=disable')
    assert.deepEqual(parsed.pool, { maxConns: 7, maxIdleConns: 3, maxConnLifetimeMs: 3_600_000, maxConnIdleTimeMs: 30_000 })
    assert.deepEqual(parsed.ignoredOptions, [])
  })

  test('have defaults', () => {
    const { pool } = postgres('postgres://u@h/db')
    assert.ok(pool.maxConns >= 2)
    assert.equal(pool.maxConnLifetimeMs, 0)
  })

  test('reject bad values', () => {
    assert.throws(() => parseDsn('postgres://u@h/db?max_conns=lots'), /max_conns must be a non-negative integer/)
    assert.throws(() => parseDsn('postgres://u@h/db?max_conn_lifetime=forever'), /max_conn_lifetime must be a duration/)
  })
})

describe('parseDsn: errors', () => {
  test('empty and unknown scheme', () => {
    assert.throws(() => parseDsn(''), /the DSN is empty/)
    assert.throws(() => parseDsn('oracle://scott:tiger@h/db'), /unsupported scheme "oracle"/)
    assert.throws(() => parseDsn('just-a-word'), /unsupported scheme/)
  })

  test('messages never contain the password', () => {
    const cases = [
      'postgres://admin:hunter2@h:notaport/db',
      'postgres://admin:hunter2@h/db?sslmode=bogus',
      'mysql://admin:hunter2@udp(h)/db',
      'mysql://admin:hunter2@tcp(h)/',
      'oracle://admin:hunter2@h/db',
      'postgres://admin:hunter2@h/db?max_conns=x'
    ]
    for (const dsn of cases) {
      assert.throws(() => parseDsn(dsn), (error: unknown) => {
        assert.ok(error instanceof DsnError, dsn)
        assert.ok(!error.message.includes('hunter2'), error.message)
        assert.ok(error.message.includes('***'), error.message)
        assert.ok(!error.message.includes('\n'), 'one line')
        return true
      })
    }
  })

  test('redactDsn leaves password-less DSNs alone', () => {
    assert.equal(redactDsn('postgres://u@h/db'), 'postgres://u@h/db')
    assert.equal(redactDsn('sqlite:///tmp/x.sqlite'), 'sqlite:///tmp/x.sqlite')
    assert.equal(redactDsn('postgres://u:p@h/db'), 'postgres://u:***@h/db')
  })
})
