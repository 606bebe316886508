// OpenID Connect Discovery 1.0 / RFC 8414 metadata, built from config and from what Warden really implements.
import type { Config } from '../config/schema.js'
import { joinUrl, selfUrls } from '../config/urls.js'
import { toCachedJson } from '../lib/cached-json.js'
import type { CachedJson } from '../lib/cached-json.js'

/**
 * What the running server implements. The document only advertises these, so clients never discover an
 * endpoint or grant that answers 404. It starts empty (capabilities()) and each feature adds its part when it
 * lands, through extendCapabilities() in the composition root:
 *   tokens    → endpoints.token, grantTypes, tokenEndpointAuthMethods
 *   authorize → endpoints.authorization, responseTypes, responseModes, codeChallengeMethods, request objects
 *   userinfo, revocation, logout, device flow, verifiable credentials → their endpoints and flags.
 * hydraCapabilities() is everything Hydra advertises (hydra-api.md §1.2.1), the target.
 */
export interface DiscoveryCapabilities {
  endpoints: {
    authorization: boolean
    token: boolean
    userinfo: boolean
    revocation: boolean
    endSession: boolean
    deviceAuthorization: boolean
    credentials: boolean
  }
  grantTypes: string[]
  responseTypes: string[]
  responseModes: string[]
  tokenEndpointAuthMethods: string[]
  codeChallengeMethods: string[]
  requestObjectSigningAlgs: string[]
  requestParameter: boolean
  requestUriParameter: boolean
  backchannelLogout: boolean
  frontchannelLogout: boolean
  pairwiseSubjects: boolean
}

export type CapabilitiesExtension = Partial<Omit<DiscoveryCapabilities, 'endpoints'>> & { endpoints?: Partial<DiscoveryCapabilities['endpoints']> }

/** Nothing implemented: what Warden serves before any grant lands. */
export function capabilities (): DiscoveryCapabilities {
  return {
    endpoints: { authorization: false, token: false, userinfo: false, revocation: false, endSession: false, deviceAuthorization: false, credentials: false },
    grantTypes: [],
    responseTypes: [],
    responseModes: [],
    tokenEndpointAuthMethods: [],
    codeChallengeMethods: [],
    requestObjectSigningAlgs: [],
    requestParameter: false,
    requestUriParameter: false,
    backchannelLogout: false,
    frontchannelLogout: false,
    pairwiseSubjects: false
  }
}

/** Adds features: lists are merged without duplicates (keeping first-seen order), flags are or-ed. */
export function extendCapabilities (base: DiscoveryCapabilities, extension: CapabilitiesExtension): DiscoveryCapabilities {
  const merge = (a: string[], b: string[] | undefined): string[] => [...new Set([...a, ...(b ?? [])])]
  const endpoints = { ...base.endpoints }
  for (const [name, on] of Object.entries(extension.endpoints ?? {}) as Array<[keyof typeof endpoints, boolean | undefined]>) {
    endpoints[name] = endpoints[name] || on === true
  }
  return {
    endpoints,
    grantTypes: merge(base.grantTypes, extension.grantTypes),
    responseTypes: merge(base.responseTypes, extension.responseTypes),
    responseModes: merge(base.responseModes, extension.responseModes),
    tokenEndpointAuthMethods: merge(base.tokenEndpointAuthMethods, extension.tokenEndpointAuthMethods),
    codeChallengeMethods: merge(base.codeChallengeMethods, extension.codeChallengeMethods),
    requestObjectSigningAlgs: merge(base.requestObjectSigningAlgs, extension.requestObjectSigningAlgs),
    requestParameter: base.requestParameter || extension.requestParameter === true,
    requestUriParameter: base.requestUriParameter || extension.requestUriParameter === true,
    backchannelLogout: base.backchannelLogout || extension.backchannelLogout === true,
    frontchannelLogout: base.frontchannelLogout || extension.frontchannelLogout === true,
    pairwiseSubjects: base.pairwiseSubjects || extension.pairwiseSubjects === true
  }
}

/** Everything Hydra v2 advertises. */
export function hydraCapabilities (): DiscoveryCapabilities {
  return extendCapabilities(capabilities(), {
    endpoints: { authorization: true, token: true, userinfo: true, revocation: true, endSession: true, deviceAuthorization: true, credentials: true },
    grantTypes: ['authorization_code', 'implicit', 'client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    responseTypes: ['code', 'code id_token', 'id_token', 'token id_token', 'token', 'token id_token code'],
    responseModes: ['query', 'fragment', 'form_post'],
    tokenEndpointAuthMethods: ['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'],
    codeChallengeMethods: ['plain', 'S256'],
    requestObjectSigningAlgs: ['none', 'RS256', 'ES256'],
    requestParameter: true,
    requestUriParameter: true,
    backchannelLogout: true,
    frontchannelLogout: true,
    pairwiseSubjects: true
  })
}

const CREDENTIAL_SUITES = ['PS256', 'RS256', 'ES256', 'PS384', 'RS384', 'ES384', 'PS512', 'RS512', 'ES512', 'EdDSA']

function unique (values: readonly string[]): string[] {
  return [...new Set(values)]
}

/**
 * Hydra's rule (hydra-api.md §4.17): public unless only pairwise is configured, and pairwise dropped under JWT
 * access tokens (after that decision, so `[pairwise]` + jwt advertises nothing, as Hydra). Until pairwise
 * subjects are implemented, a configured pairwise counts as absent and public is what clients get.
 */
function subjectTypes (config: Readonly<Config>, caps: DiscoveryCapabilities): string[] {
  const configured = config.oidc.subject_identifiers.supported_types
  let pairwise = configured.includes('pairwise') && caps.pairwiseSubjects
  const isPublic = configured.includes('public') || !pairwise
  if (config.strategies.access_token === 'jwt') pairwise = false
  return [...(isPublic ? ['public'] : []), ...(pairwise ? ['pairwise'] : [])]
}

/**
 * The discovery document, members in Hydra's order. Endpoints Warden does not serve yet are left out unless
 * the operator points them elsewhere through webfinger.oidc_discovery.*; booleans are always present.
 */
export function buildDiscoveryDocument (config: Readonly<Config>, caps: DiscoveryCapabilities, idTokenSigningAlg: string): Record<string, unknown> {
  const urls = selfUrls(config)
  const overrides = config.webfinger.oidc_discovery
  const onIssuer = (path: string): string => joinUrl(urls.issuer, path)
  const onPublic = (path: string): string => joinUrl(urls.public, path)
  const endpoint = (isServed: boolean, override: string | undefined, fallback: string): string | undefined =>
    override ?? (isServed ? fallback : undefined)
  const doc: Record<string, unknown> = {
    issuer: urls.issuer,
    authorization_endpoint: endpoint(caps.endpoints.authorization, overrides.auth_url, onPublic('oauth2/auth')),
    device_authorization_endpoint: endpoint(caps.endpoints.deviceAuthorization, overrides.device_authorization_url, onPublic('oauth2/device/auth')),
    registration_endpoint: overrides.client_registration_url,
    token_endpoint: endpoint(caps.endpoints.token, overrides.token_url, onPublic('oauth2/token')),
    jwks_uri: overrides.jwks_url ?? onIssuer('.well-known/jwks.json'),
    subject_types_supported: subjectTypes(config, caps),
    response_types_supported: caps.responseTypes,
    claims_supported: unique(['sub', ...(overrides.supported_claims ?? [])]),
    grant_types_supported: caps.grantTypes,
    response_modes_supported: caps.responseModes,
    userinfo_endpoint: endpoint(caps.endpoints.userinfo, overrides.userinfo_url, onPublic('userinfo')),
    scopes_supported: unique(['offline_access', 'offline', 'openid', ...(overrides.supported_scope ?? [])]),
    token_endpoint_auth_methods_supported: caps.tokenEndpointAuthMethods,
    userinfo_signing_alg_values_supported: caps.endpoints.userinfo ? ['none', idTokenSigningAlg] : undefined,
    id_token_signing_alg_values_supported: [idTokenSigningAlg],
    id_token_signed_response_alg: [idTokenSigningAlg],
    userinfo_signed_response_alg: caps.endpoints.userinfo ? [idTokenSigningAlg] : undefined,
    request_parameter_supported: caps.requestParameter,
    request_uri_parameter_supported: caps.requestUriParameter,
    require_request_uri_registration: caps.requestUriParameter,
    claims_parameter_supported: false,
    revocation_endpoint: caps.endpoints.revocation ? onIssuer('oauth2/revoke') : undefined,
    backchannel_logout_supported: caps.backchannelLogout,
    backchannel_logout_session_supported: caps.backchannelLogout,
    frontchannel_logout_supported: caps.frontchannelLogout,
    frontchannel_logout_session_supported: caps.frontchannelLogout,
    end_session_endpoint: caps.endpoints.endSession ? onIssuer('oauth2/sessions/logout') : undefined,
    request_object_signing_alg_values_supported: caps.requestObjectSigningAlgs,
    code_challenge_methods_supported: caps.codeChallengeMethods,
    credentials_endpoint_draft_00: caps.endpoints.credentials ? onPublic('credentials') : undefined,
    credentials_supported_draft_00: caps.endpoints.credentials
      ? [{ format: 'jwt_vc_json', types: ['VerifiableCredential', 'UserInfoCredential'], cryptographic_binding_methods_supported: ['jwk'], cryptographic_suites_supported: CREDENTIAL_SUITES }]
      : undefined
  }
  for (const key of Object.keys(doc)) if (doc[key] === undefined) delete doc[key]
  return doc
}

export interface DiscoveryServiceDeps {
  config: Readonly<Config>
  capabilities: DiscoveryCapabilities
  /** The alg of the current ID-token signing key; asking may generate the key set (as Hydra does). */
  idTokenSigningAlg: () => Promise<string>
}

/** Serves the document from a cached buffer, rebuilt only when the ID-token signing algorithm changes. */
export class DiscoveryService {
  private readonly deps: DiscoveryServiceDeps
  private cached: { alg: string, document: CachedJson } | undefined

  constructor (deps: DiscoveryServiceDeps) {
    this.deps = deps
  }

  async document (): Promise<CachedJson> {
    const alg = await this.deps.idTokenSigningAlg()
    if (this.cached?.alg !== alg) {
      this.cached = { alg, document: toCachedJson(buildDiscoveryDocument(this.deps.config, this.deps.capabilities, alg)) }
    }
    return this.cached.document
  }
}
