// Per-key memo with a lifetime and single-flight loading, so a replica picks up keys another replica changed.
import type { Clock } from '../lib/clock.js'

interface Entry<V> {
  value?: V
  expiresAtMs: number
  pending?: Promise<V>
}

export class RefreshingCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>()
  private readonly clock: Clock
  private readonly ttlMs: number
  // Bumped by clear(): a load that started before the bump must not repopulate the cache with stale data.
  private generation = 0

  constructor (clock: Clock, ttlMs: number) {
    this.clock = clock
    this.ttlMs = ttlMs
  }

  /** The cached value while fresh; otherwise one shared call to `load` (concurrent callers wait for it). */
  async get (key: K, load: () => Promise<V>): Promise<V> {
    const nowMs = this.clock.now().getTime()
    const entry = this.entries.get(key)
    if (entry?.value !== undefined && entry.expiresAtMs > nowMs) return entry.value
    if (entry?.pending !== undefined) return await entry.pending
    const generation = this.generation
    const pending = load()
    const slot: Entry<V> = { ...entry, expiresAtMs: 0, pending }
    this.entries.set(key, slot)
    try {
      const value = await pending
      if (generation === this.generation && this.entries.get(key) === slot) {
        this.entries.set(key, { value, expiresAtMs: this.clock.now().getTime() + this.ttlMs })
      }
      return value
    } catch (error) {
      if (this.entries.get(key) === slot) this.entries.delete(key)
      throw error
    }
  }

  clear (): void {
    this.generation++
    this.entries.clear()
  }
}
