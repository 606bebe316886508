// Builds TrustService from Config (page-token secrets) and its collaborators; used by app/container.ts.
import { paginationSecrets } from '../clients/clients.wiring.js'
import type { Config } from '../config/schema.js'
import { Sealer } from '../keys/sealing.js'
import type { Clock } from '../lib/clock.js'
import { PageTokens } from '../lib/keyset-pagination.js'
import { TrustService, type TrustKeys } from './trust.service.js'
import type { TrustStore } from './trust.store.js'

export function buildTrustService (config: Readonly<Config>, deps: { store: TrustStore, keys: TrustKeys, clock: Clock }): TrustService {
  return new TrustService({ ...deps, pageTokens: new PageTokens(new Sealer(paginationSecrets(config)), () => deps.clock.now()) })
}
