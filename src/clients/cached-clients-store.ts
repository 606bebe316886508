// Keeps recently read clients in memory for `clients.cache.ttl`, so the token endpoint does not read and decode the
// client row on every request.
//
// Rules (docs/performance.md, "Client cache"):
//   - A write through this store (insert, update, delete) drops that client's entry at once, so this process never
//     serves a client older than its own last write.
//   - Another instance or worker writes behind this one's back; its change is seen within the TTL. That bounds how
//     long a deleted client or a replaced secret still works elsewhere, which is why the default is short.
//   - Misses are not remembered: a client created elsewhere is usable here at once.
//   - Entries are frozen, so a caller cannot change what the next caller reads.
//   - Bounded: when full, the oldest entries go first.
import type { Clock } from '../lib/clock.js'
import type { OAuth2Client } from './client.js'
import type { ClientListQuery, ClientsStore } from './clients.store.js'

export const DEFAULT_CLIENT_CACHE_MAX_ENTRIES = 10_000

export interface ClientCacheOptions {
  ttlMs: number
  clock: Clock
  maxEntries?: number
}

interface Entry {
  client: OAuth2Client
  expiresAtMs: number
}

function deepFreeze<T> (value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value) && !(value instanceof Date)) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

export class CachedClientsStore implements ClientsStore {
  readonly #store: ClientsStore
  readonly #ttlMs: number
  readonly #clock: Clock
  readonly #maxEntries: number
  readonly #entries = new Map<string, Entry>()
  /** Bumped by every write, so a read that raced a write does not cache what it read before the write. */
  #generation = 0

  constructor (store: ClientsStore, options: ClientCacheOptions) {
    this.#store = store
    this.#ttlMs = options.ttlMs
    this.#clock = options.clock
    this.#maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_CLIENT_CACHE_MAX_ENTRIES)
  }

  get size (): number { return this.#entries.size }

  async getClient (id: string): Promise<OAuth2Client | undefined> {
    const nowMs = this.#clock.now().getTime()
    const cached = this.#entries.get(id)
    if (cached !== undefined && cached.expiresAtMs > nowMs) return cached.client
    const generation = this.#generation
    const client = await this.#store.getClient(id)
    if (client === undefined) {
      this.#entries.delete(id)
      return undefined
    }
    if (generation === this.#generation) this.#remember(id, deepFreeze(client), nowMs)
    return client
  }

  #remember (id: string, client: OAuth2Client, nowMs: number): void {
    this.#entries.delete(id)
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
    this.#entries.set(id, { client, expiresAtMs: nowMs + this.#ttlMs })
  }

  #forget (id: string): void {
    this.#generation++
    this.#entries.delete(id)
  }

  async insertClient (client: OAuth2Client): Promise<boolean> {
    this.#forget(client.id)
    return await this.#store.insertClient(client)
  }

  async updateClient (client: OAuth2Client): Promise<boolean> {
    this.#forget(client.id)
    try {
      return await this.#store.updateClient(client)
    } finally {
      this.#forget(client.id)
    }
  }

  async deleteClient (id: string): Promise<boolean> {
    this.#forget(id)
    try {
      return await this.#store.deleteClient(id)
    } finally {
      this.#forget(id)
    }
  }

  async listClients (query: ClientListQuery): Promise<OAuth2Client[]> {
    return await this.#store.listClients(query)
  }
}

/** The store to use: cached when `ttlMs` is positive, the plain store otherwise. */
export function withClientCache (store: ClientsStore, options: ClientCacheOptions): ClientsStore {
  return options.ttlMs > 0 ? new CachedClientsStore(store, options) : store
}
