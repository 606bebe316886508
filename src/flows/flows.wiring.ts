// Builds the flow engine (authorize, requests, sessions, logout services) from Config and its collaborators.
import type { OAuth2Client } from '../clients/client.js'
import { paginationSecrets } from '../clients/clients.wiring.js'
import type { Config } from '../config/schema.js'
import { joinUrl, selfUrls } from '../config/urls.js'
import { Sealer } from '../keys/sealing.js'
import type { Clock } from '../lib/clock.js'
import { parseDurationMs } from '../lib/duration.js'
import { PageTokens } from '../lib/keyset-pagination.js'
import type { AuthorizationResponder } from './authorization-handover.js'
import { AuthorizeService } from './authorize.service.js'
import { FlowCodec, type ValueSealer } from './flow-codec.js'
import { FlowCookies } from './flow-cookies.js'
import type { FlowsConfig, FlowsDeps } from './flows.deps.js'
import type { FlowsStore } from './flows.store.js'
import { idTokenHintDecoder } from './id-token-hint.js'
import { LogoutService } from './logout.service.js'
import { silentLogoutNotifier, type LogoutNotifier } from './logout-notifier.js'
import { RequestsService } from './requests.service.js'
import { scopeMatcher } from '../tokens/scope-strategy.js'
import { SessionsService } from './sessions.service.js'

export interface FlowsWiring {
  store: FlowsStore
  clock: Clock
  /** Seals challenges and verifiers: keyed by secrets.system. */
  sealer: ValueSealer
  networkId: () => string
  findClient: (id: string) => Promise<OAuth2Client | undefined>
  /** Public keys of the ID-token set (id_token_hint verification). */
  idTokenPublicKeys: () => Promise<readonly object[]>
  responder: AuthorizationResponder
  logoutNotifier?: LogoutNotifier
  /** Where unexpected failures of browser-facing steps are reported (a logger). */
  onUnexpectedError?: (error: unknown) => void
}

export interface Flows {
  authorize: AuthorizeService
  requests: RequestsService
  sessions: SessionsService
  logout: LogoutService
}

export function flowsConfig (config: Readonly<Config>): FlowsConfig {
  const urls = selfUrls(config)
  return {
    urls: {
      issuer: urls.issuer,
      authorize: config.webfinger.oidc_discovery.auth_url ?? joinUrl(urls.public, 'oauth2/auth'),
      logout: joinUrl(urls.public, 'oauth2/sessions/logout'),
      login: urls.login,
      consent: urls.consent,
      registration: urls.registration,
      logoutUi: urls.logout,
      error: urls.error,
      postLogoutRedirect: urls.postLogoutRedirect
    },
    loginConsentRequestTtlMs: parseDurationMs(config.ttl.login_consent_request),
    authenticationSessionTtlMs: parseDurationMs(config.ttl.authentication_session),
    isDev: config.dev,
    pairwiseSalt: config.oidc.subject_identifiers.pairwise.salt ?? '',
    rules: {
      matchScope: scopeMatcher(config.strategies.scope),
      pkceEnforced: config.oauth2.pkce.enforced,
      pkceEnforcedForPublicClients: config.oauth2.pkce.enforced_for_public_clients,
      implementedResponseTypes: new Set(['code'])
    },
    wire: { exposeDebug: config.oauth2.expose_internal_errors, legacy: config.oauth2.include_legacy_error_fields }
  }
}

/** Cookies are sealed with secrets.cookie, falling back to secrets.system (hydra-api.md §3.9). */
function cookieSealer (config: Readonly<Config>): Sealer {
  return new Sealer(config.secrets.cookie.length > 0 ? config.secrets.cookie : config.secrets.system)
}

export function buildFlows (config: Readonly<Config>, wiring: FlowsWiring): Flows {
  const settings = flowsConfig(config)
  const { cookies: cookieConfig } = config.serve
  const cookies = new FlowCookies({
    isDev: config.dev,
    isSecureInDev: cookieConfig.secure,
    sameSite: cookieConfig.same_site_mode,
    isLegacyWorkaround: cookieConfig.same_site_legacy_workaround,
    domain: cookieConfig.domain,
    sessionPath: cookieConfig.paths.session,
    names: { session: cookieConfig.names.session, loginCsrf: cookieConfig.names.login_csrf, consentCsrf: cookieConfig.names.consent_csrf },
    issuer: settings.urls.issuer
  }, cookieSealer(config))
  const logoutNotifier = wiring.logoutNotifier ?? silentLogoutNotifier
  const deps: FlowsDeps = {
    config: settings,
    store: wiring.store,
    findClient: wiring.findClient,
    codec: new FlowCodec(wiring.sealer, wiring.networkId),
    cookies,
    clock: wiring.clock,
    decodeIdTokenHint: idTokenHintDecoder(wiring.idTokenPublicKeys),
    responder: wiring.responder,
    logoutNotifier,
    onUnexpectedError: wiring.onUnexpectedError ?? (() => {})
  }
  return {
    authorize: new AuthorizeService(deps),
    requests: new RequestsService(deps),
    sessions: new SessionsService({
      store: wiring.store,
      clock: wiring.clock,
      pageTokens: new PageTokens(new Sealer(paginationSecrets(config)), () => wiring.clock.now()),
      findClient: wiring.findClient,
      logoutNotifier
    }),
    logout: new LogoutService(deps)
  }
}
