// Measures event-loop delay while 20 client secrets are hashed concurrently (pbkdf2 25 000 iterations, bcrypt cost 10).
// Run: npx tsc -p tsconfig.json && node dist/bench/client-secret-hashing.js
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createSecretHasher } from '../src/clients/secret-hasher.js'

async function measure (algorithm: 'pbkdf2' | 'bcrypt'): Promise<void> {
  const hasher = createSecretHasher({ algorithm, pbkdf2: { iterations: 25_000 }, bcrypt: { cost: 10 } })
  await hasher.hash('warm-up-secret')
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  const started = performance.now()
  const hashes = await Promise.all(Array.from({ length: 20 }, async (_, i) => await hasher.hash(`secret-number-${i}`)))
  const hashMs = performance.now() - started
  const verifyStarted = performance.now()
  await Promise.all(hashes.map(async (hash, i) => await hasher.verify(`secret-number-${i}`, hash)))
  const verifyMs = performance.now() - verifyStarted
  histogram.disable()
  const ms = (ns: number): string => (ns / 1e6).toFixed(1)
  process.stdout.write(`${algorithm}: 20 hashes in ${hashMs.toFixed(0)} ms, 20 verifications in ${verifyMs.toFixed(0)} ms; ` +
    `event-loop delay p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, max ${ms(histogram.max)} ms\n`)
}

await measure('pbkdf2')
await measure('bcrypt')
