// Composition root: builds every store and service from Config and lists each listener's routes.
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import { selfUrls } from '../config/urls.js'
import type { RouteRegistrar } from '../http/route-module.js'
import { buildClientsService } from '../clients/clients.wiring.js'
import { clientsAdminRoutes } from '../clients/clients.admin-routes.js'
import type { ClientsService } from '../clients/clients.service.js'
import { registrationPublicRoutes } from '../clients/registration.public-routes.js'
import { jwksPublicRoutes } from '../keys/jwks.public-routes.js'
import { keysAdminRoutes } from '../keys/keys.admin-routes.js'
import type { KeysService } from '../keys/keys.service.js'
import { buildKeysService } from '../keys/keys.wiring.js'
import type { Sealer } from '../keys/sealing.js'
import { systemClock, type Clock } from '../lib/clock.js'
import { capabilities, extendCapabilities, type DiscoveryCapabilities, type DiscoveryService } from '../oidc/discovery.js'
import { discoveryPublicRoutes } from '../oidc/discovery.public-routes.js'
import { buildDiscoveryService } from '../oidc/discovery.wiring.js'
import { buildLogoutChannels, drainLogoutChannelsOnClose } from '../oidc/logout-channels.wiring.js'
import type { Database } from '../persistence/sql/database.js'
import { SqlClientsStore } from '../persistence/sql/clients.sql.js'
import { SqlKeysStore } from '../persistence/sql/keys.sql.js'
import { SqlTokensStore } from '../persistence/sql/tokens.sql.js'
import { SqlTrustStore } from '../persistence/sql/trust.sql.js'
import { trustAdminRoutes } from '../trust/trust.admin-routes.js'
import { buildTrustService } from '../trust/trust.wiring.js'
import { buildTokensDomain } from '../tokens/tokens.wiring.js'
import type { TokensService } from '../tokens/tokens.service.js'
import { tokenPublicRoutes } from '../tokens/token.public-routes.js'
import { tokensAdminRoutes } from '../tokens/introspection.admin-routes.js'
import type { AuthorizationResponder } from '../flows/authorization-handover.js'
import { userinfoPublicRoutes } from '../oidc/userinfo.public-routes.js'
import { buildFlows, type Flows } from '../flows/flows.wiring.js'
import { flowsAdminRoutes } from '../flows/flows.admin-routes.js'
import { authorizePublicRoutes } from '../flows/authorize.public-routes.js'
import { fallbacksPublicRoutes } from '../flows/fallbacks.public-routes.js'
import { logoutPublicRoutes } from '../oidc/logout.public-routes.js'
import { SqlFlowsStore } from '../persistence/sql/flows.sql.js'
import { ID_TOKEN_SET } from '../keys/keys.service.js'
import { isOAuth2Error } from '../errors/oauth2-error.js'
import { openApiAdminRoutes } from '../http/openapi.routes.js'
import { wardenOpenApiDocument } from './openapi-document.js'

export interface ContainerOptions {
  config: Readonly<Config>
  logger: Logger
  database: Database
  sealer: Sealer
  clock?: Clock
  /** Key generation settings; tests use 2048-bit RSA to save CPU. */
  keyGeneration?: Parameters<typeof buildKeysService>[1]['generation']
}

export interface Container {
  readonly clients: ClientsService
  readonly keys: KeysService
  readonly discovery: DiscoveryService
  readonly tokens: TokensService
  /** Issues the authorization response after consent (the flow engine calls it). */
  readonly authorizationResponder: AuthorizationResponder
  /** Login/consent/logout flow engine (issue 4). */
  readonly flows: Flows
  readonly publicRoutes: readonly RouteRegistrar[]
  readonly adminRoutes: readonly RouteRegistrar[]
  /** First-start work once the database is reachable and migrated: the default signing key sets. */
  onDatabasePrepared(): Promise<void>
}

/**
 * What discovery may advertise: only features that work end to end today. Each later feature (authorize,
 * token, userinfo, ...) extends this list in the same change that implements it.
 */
function implementedCapabilities (): DiscoveryCapabilities {
  // tokens (issue 5): /oauth2/token with these grants and client authentication methods, userinfo, revocation.
  const tokens = extendCapabilities(capabilities(), {
    endpoints: { token: true, userinfo: true, revocation: true },
    grantTypes: ['authorization_code', 'client_credentials', 'refresh_token'],
    tokenEndpointAuthMethods: ['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'],
    codeChallengeMethods: ['S256']
  })
  // flows (issue 4): /oauth2/auth with response_type=code only (implicit/hybrid need their responder), the three
  // response modes, RP-initiated logout with front- and back-channel notifications (oidc/logout-channels.ts);
  // pairwise subjects are computed for code flows (ID token + userinfo).
  return extendCapabilities(tokens, {
    endpoints: { authorization: true, endSession: true },
    responseTypes: ['code'],
    responseModes: ['query', 'fragment', 'form_post'],
    codeChallengeMethods: ['S256'],
    frontchannelLogout: true,
    backchannelLogout: true,
    pairwiseSubjects: true
  })
}

export function createContainer (options: ContainerOptions): Container {
  const { config, logger, database } = options
  const clock = options.clock ?? systemClock
  const clients = buildClientsService(config, { store: new SqlClientsStore(database), clock })
  const keys = buildKeysService(config, {
    store: new SqlKeysStore(database),
    clock,
    log: (message) => { logger.warn(message) },
    ...(options.keyGeneration === undefined ? {} : { generation: options.keyGeneration })
  })
  const tokensStore = new SqlTokensStore(database)
  const trust = buildTrustService(config, { store: new SqlTrustStore(database), keys, clock })
  const tokensDomain = buildTokensDomain(config, { store: tokensStore, clients, keys, sealer: options.sealer, clock, jwtBearerIssuers: trust })
  const logoutChannels = buildLogoutChannels(config, { keys, clock, log: logger })
  const flows = buildFlows(config, {
    store: new SqlFlowsStore(database),
    clock,
    sealer: options.sealer,
    networkId: () => database.networkId,
    // Unknown clients are undefined (invalid_client); database failures stay failures (server_error).
    findClient: async (id) => await clients.getOAuth2Client(id).catch((error: unknown) => {
      if (isOAuth2Error(error) && error.statusCode === 404) return undefined
      throw error
    }),
    idTokenPublicKeys: async () => await keys.publicKeys(ID_TOKEN_SET),
    responder: tokensDomain.responder,
    logoutNotifier: logoutChannels,
    onUnexpectedError: (error) => { logger.error({ err: error }, 'login/consent/logout flow failed unexpectedly') }
  })
  const discovery = buildDiscoveryService(config, keys, implementedCapabilities())
  const urls = selfUrls(config)

  return {
    clients,
    keys,
    discovery,
    tokens: tokensDomain.tokens,
    authorizationResponder: tokensDomain.responder,
    flows,
    publicRoutes: [
      discoveryPublicRoutes({ discovery }),
      jwksPublicRoutes({ keys }),
      registrationPublicRoutes({ clients }),
      tokenPublicRoutes({ tokens: tokensDomain.tokens }),
      userinfoPublicRoutes({ userinfo: tokensDomain.userinfo }),
      authorizePublicRoutes({ authorize: flows.authorize }),
      logoutPublicRoutes({ logout: flows.logout }),
      fallbacksPublicRoutes(),
      drainLogoutChannelsOnClose(logoutChannels, config)
    ],
    adminRoutes: [
      clientsAdminRoutes({ clients }),
      keysAdminRoutes({ keys, issuerUrl: urls.issuer }),
      tokensAdminRoutes({ tokens: tokensDomain.tokens, store: tokensStore, clock }),
      flowsAdminRoutes(flows),
      trustAdminRoutes({ trust }),
      openApiAdminRoutes(wardenOpenApiDocument()),
      drainLogoutChannelsOnClose(logoutChannels, config)
    ],
    onDatabasePrepared: async () => { await keys.ensureDefaultKeySets() }
  }
}
