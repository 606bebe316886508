// Builds KeysService from Config (the slice it needs), so the composition root only supplies store, clock and log.
import type { Config } from '../config/schema.js'
import type { Clock } from '../lib/clock.js'
import type { GenerationOptions } from './key-generation.js'
import { KeysService } from './keys.service.js'
import type { KeysStore } from './keys.store.js'

export interface KeysServiceWiring {
  store: KeysStore
  clock: Clock
  /** One line per generated key set, e.g. `(message) => logger.warn(message)`. */
  log?: (message: string) => void
  /** Tests pass `{ rsaModulusBits: 2048 }`: a 4096-bit RSA key costs about 1.5 s of CPU. */
  generation?: GenerationOptions
  /** How long a replica serves its cached JWKS and signing keys before re-reading them (default 10 s). */
  cacheTtlMs?: number
}

export function buildKeysService (config: Readonly<Config>, wiring: KeysServiceWiring): KeysService {
  return new KeysService({
    store: wiring.store,
    clock: wiring.clock,
    secretsSystem: config.secrets.system,
    broadcastSets: config.webfinger.jwks.broadcast_keys,
    ...(wiring.log === undefined ? {} : { log: wiring.log }),
    ...(wiring.generation === undefined ? {} : { generation: wiring.generation }),
    ...(wiring.cacheTtlMs === undefined ? {} : { cacheTtlMs: wiring.cacheTtlMs })
  })
}
