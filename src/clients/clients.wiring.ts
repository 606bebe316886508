// Builds ClientsService from Config (the slice it needs), so the composition root only supplies store and clock.
import type { Config } from '../config/schema.js'
import { selfUrls } from '../config/urls.js'
import { Sealer } from '../keys/sealing.js'
import type { Clock } from '../lib/clock.js'
import { parseDurationMs } from '../lib/duration.js'
import { PageTokens } from '../lib/keyset-pagination.js'
import { withClientCache } from './cached-clients-store.js'
import { ClientsService, type ClientsServiceConfig } from './clients.service.js'
import type { ClientsStore } from './clients.store.js'
import { privateIpGuard } from './private-ip-guard.js'
import { hmacRegistrationTokens } from './registration-token.js'
import { createSecretHasher } from './secret-hasher.js'
import { VerifiedSecretCache } from './verified-secret-cache.js'

export function clientsServiceConfig (config: Readonly<Config>): ClientsServiceConfig {
  return {
    defaultScope: config.oidc.dynamic_client_registration.default_scope,
    subjectTypesSupported: config.oidc.subject_identifiers.supported_types,
    isDynamicRegistrationEnabled: config.oidc.dynamic_client_registration.enabled,
    publicUrl: selfUrls(config).public
  }
}

/** Page tokens are sealed with `secrets.pagination`, falling back to `secrets.system` (Hydra's rule). */
export function paginationSecrets (config: Readonly<Config>): string[] {
  return config.secrets.pagination.length > 0 ? [...config.secrets.pagination] : [...config.secrets.system]
}

export interface ClientsServiceWiring {
  store: ClientsStore
  clock: Clock
  /** Overrides the HTTPS fetch of `sector_identifier_uri` documents (tests). */
  fetchSectorIdentifier?: (url: string) => Promise<unknown>
}

export function buildClientsService (config: Readonly<Config>, wiring: ClientsServiceWiring): ClientsService {
  const http = config.clients.http
  return new ClientsService({
    store: withClientCache(wiring.store, { ttlMs: parseDurationMs(config.clients.cache.ttl), clock: wiring.clock }),
    clock: wiring.clock,
    hasher: createSecretHasher(config.oauth2.hashers),
    verifiedSecrets: new VerifiedSecretCache(),
    config: clientsServiceConfig(config),
    registrationTokens: hmacRegistrationTokens(config.secrets.system),
    pageTokens: new PageTokens(new Sealer(paginationSecrets(config)), () => wiring.clock.now()),
    ...(wiring.fetchSectorIdentifier === undefined ? {} : { fetchSectorIdentifier: wiring.fetchSectorIdentifier }),
    ...(http.disallow_private_ip_ranges ? { checkUrls: privateIpGuard(http.private_ip_exception_urls) } : {})
  })
}
