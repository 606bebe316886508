// Child process for the concurrent first-start test: one "replica" that runs ensureDefaultKeySets on a shared database.
//
// Protocol on stdin/stdout (one JSON object per line), so the parent can force the race instead of hoping for it:
//   child → {"ready":true}                   connected
//   parent → {"go":true}                     all replicas connected: start
//   child → {"inserting":"<set>"}            generated a key and is about to run insertIfSetEmpty for <set>
//   parent → {"insert":"<set>"}              every replica is at that point for <set>: go ahead
//   child → {"done":{...}}                   what this replica ended up with
import { createInterface } from 'node:readline'
import { systemClock } from '../../src/lib/clock.js'
import { KeysService, DEFAULT_KEY_SETS, ID_TOKEN_SET, ACCESS_TOKEN_SET } from '../../src/keys/keys.service.js'
import type { KeysStore } from '../../src/keys/keys.store.js'
import { openDatabase } from '../../src/persistence/sql/db.js'
import { SqlKeysStore } from '../../src/persistence/sql/keys.sql.js'

const [dsn, secret] = process.argv.slice(2)
if (dsn === undefined || secret === undefined) throw new Error('usage: ensure-keys-child <dsn> <secret>')

const send = (message: unknown): void => { process.stdout.write(`${JSON.stringify(message)}\n`) }
const waiting = new Map<string, () => void>()
const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const message = JSON.parse(line) as { go?: boolean, insert?: string }
  const key = message.go === true ? 'go' : `insert:${message.insert ?? ''}`
  waiting.get(key)?.()
})
const waitFor = async (key: string): Promise<void> => { await new Promise<void>((resolve) => waiting.set(key, resolve)) }

const database = openDatabase(dsn)
await database.connect({ giveUpAfterMs: 10_000 })
const sql = new SqlKeysStore(database)
// The real store, except that insertIfSetEmpty first waits until every replica has reached it.
const store: KeysStore = Object.assign(Object.create(sql) as KeysStore, {
  insertIfSetEmpty: async (set: string, candidates: Parameters<KeysStore['insertIfSetEmpty']>[1]) => {
    const released = waitFor(`insert:${set}`)
    send({ inserting: set })
    await released
    return await sql.insertIfSetEmpty(set, candidates)
  }
})
const keys = new KeysService({ store, secretsSystem: [secret], clock: systemClock, generation: { rsaModulusBits: 2048 } })

const started = waitFor('go')
send({ ready: true })
await started
await keys.ensureDefaultKeySets()
const signers = Object.fromEntries(await Promise.all(DEFAULT_KEY_SETS.map(async (set) => [set, (await keys.signingKey(set)).kid] as const)))
send({ done: { signers, jwks: (await keys.publicJwksDocument()).body.toString('utf8'), sets: [ID_TOKEN_SET, ACCESS_TOKEN_SET] } })
lines.close()
await database.close()
