// Builds DiscoveryService from Config, the keys service (for the ID-token signing alg) and the implemented features.
import type { Config } from '../config/schema.js'
import { ID_TOKEN_SET } from '../keys/keys.service.js'
import type { KeysService } from '../keys/keys.service.js'
import { DiscoveryService } from './discovery.js'
import type { DiscoveryCapabilities } from './discovery.js'

export function buildDiscoveryService (config: Readonly<Config>, keys: Pick<KeysService, 'signingKey'>, capabilities: DiscoveryCapabilities): DiscoveryService {
  return new DiscoveryService({
    config,
    capabilities,
    idTokenSigningAlg: async () => (await keys.signingKey(ID_TOKEN_SET)).alg
  })
}
