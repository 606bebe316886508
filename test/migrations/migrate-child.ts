// Child process for the concurrency test: opens argv[2], migrates with the folder in argv[3], resolves the network,
// and prints {"applied":[versions],"networkId":"..."} on stdout.
import { openDatabase } from '../../src/persistence/sql/db.js'
import { migrateUp } from '../../src/persistence/sql/migrator.js'

const [dsn, directory] = process.argv.slice(2)
if (dsn === undefined || directory === undefined) throw new Error('usage: migrate-child.js <dsn> <migrations folder>')
const database = openDatabase(dsn)
try {
  await database.connect({ resolveNetwork: false, giveUpAfterMs: 30_000 })
  const applied = await migrateUp(database, { directory })
  const networkId = await database.resolveNetwork()
  process.stdout.write(JSON.stringify({ applied: applied.map((m) => m.version), networkId }))
} finally {
  await database.close()
}
