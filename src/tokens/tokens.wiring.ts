// Builds the tokens domain (service, responder, userinfo) from Config and its collaborators; used by app/container.ts.
import type { ClientsService } from '../clients/clients.service.js'
import { privateIpGuard } from '../clients/private-ip-guard.js'
import type { Config } from '../config/schema.js'
import { ACCESS_TOKEN_SET, type KeysService } from '../keys/keys.service.js'
import type { Sealer } from '../keys/sealing.js'
import type { Clock } from '../lib/clock.js'
import { UserinfoService } from '../oidc/userinfo.js'
import { AuthorizationCodeResponder } from './authorization-code.responder.js'
import { ClientAuthenticator } from './client-authentication.js'
import { JwksFetcher } from './client-jwks.js'
import type { GrantTools } from './grants/grant.js'
import { jwtBearerSettingsFrom, type JwtBearerIssuers } from './grants/jwt-bearer.js'
import { JwtSignatureVerifier } from './jwt-access-token.js'
import { OpaqueTokenStrategy } from './opaque-token.js'
import { scopeMatcher } from './scope-strategy.js'
import { SessionCodec } from './session-codec.js'
import { TokenHooks } from './token-hook.js'
import { TokenMinter } from './token-minter.js'
import { tokensConfigFrom, type TokensConfig } from './tokens.config.js'
import { TokensService } from './tokens.service.js'
import type { TokensStore } from './tokens.store.js'

export interface TokensDomain {
  tokens: TokensService
  responder: AuthorizationCodeResponder
  userinfo: UserinfoService
}

export interface TokensDomainDeps {
  store: TokensStore
  clients: ClientsService
  keys: KeysService
  sealer: Sealer
  clock: Clock
  /** Trusted RFC 7523 assertion issuers (trust/); without them the jwt-bearer grant is unsupported. */
  jwtBearerIssuers?: JwtBearerIssuers
}

/** The token hooks, calling out under `clients.http.disallow_private_ip_ranges` like every outgoing call. */
function buildTokenHooks (config: Readonly<Config>, settings: TokensConfig): TokenHooks {
  const { http } = config.clients
  return new TokenHooks({ config: settings, ...(http.disallow_private_ip_ranges ? { checkUrls: privateIpGuard(http.private_ip_exception_urls) } : {}) })
}

export function buildTokensDomain (config: Readonly<Config>, deps: TokensDomainDeps): TokensDomain {
  const settings = tokensConfigFrom(config)
  const { store, clients, keys, clock } = deps
  const codec = new SessionCodec(deps.sealer, settings.encryptSessionAtRest)
  const signingKey = async (set: string) => await keys.signingKey(set)
  const getClient = async (id: string) => await clients.getOAuth2Client(id)
  const minter = new TokenMinter({ config: settings, opaque: new OpaqueTokenStrategy(config.secrets.system), codec, signingKey })
  const tools: GrantTools = { config: settings, store, minter, codec, clock, scopeAllowed: scopeMatcher(settings.scopeStrategy), getClient,
    hooks: buildTokenHooks(config, settings),
    ...(deps.jwtBearerIssuers === undefined ? {} : { jwtBearer: { issuers: deps.jwtBearerIssuers, settings: jwtBearerSettingsFrom(config) } }) }
  const authenticator = new ClientAuthenticator({
    getClient,
    verifySecret: async (client, presented) => await clients.verifySecret(client, presented),
    store,
    jwks: new JwksFetcher({ clock }),
    clock,
    tokenUrls: settings.tokenUrls
  })
  const jwtVerifier = new JwtSignatureVerifier(async () => await keys.publicKeys(ACCESS_TOKEN_SET), clock)
  const tokens = new TokensService({ tools, authenticator, jwtVerifier, clock })
  const responder = new AuthorizationCodeResponder({ config: settings, store, minter, clock, getClient })
  const userinfo = new UserinfoService({
    findActiveAccessToken: async (token) => await tokens.findActiveAccessToken(token),
    findActiveRefreshToken: async (token) => await tokens.findActiveRefreshToken(token),
    getClient,
    signingKey,
    issuer: settings.issuer,
    clock
  })
  return { tokens, responder, userinfo }
}
