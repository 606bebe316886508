// The slice of Config the tokens domain reads, decoded once (durations in ms, URLs resolved).
import type { Config } from '../config/schema.js'
import { joinUrl, selfUrls } from '../config/urls.js'
import { parseDurationMs } from '../lib/duration.js'
import type { ScopeStrategyName } from './scope-strategy.js'

/** A webhook target (`oauth2.token_hook`, `oauth2.refresh_token_hook`) as the tokens domain uses it. */
export interface HookTarget {
  /** The config key it came from, for messages. */
  key: 'oauth2.token_hook' | 'oauth2.refresh_token_hook'
  url: string
  /** `auth.config` of an `api_key` hook; absent when there is none, or (as in Hydra) when it names no `in`. */
  apiKey?: { in: 'header' | 'cookie', name: string, value: string }
}

type HookSetting = Config['oauth2']['token_hook']

function hookTarget (key: HookTarget['key'], setting: HookSetting): HookTarget | undefined {
  if (setting === undefined || setting === '') return undefined
  if (typeof setting === 'string') return { key, url: setting }
  const auth = setting.auth?.config
  return { key, url: setting.url, ...(auth?.in === undefined ? {} : { apiKey: { in: auth.in, name: auth.name, value: auth.value } }) }
}

export interface TokensConfig {
  issuer: string
  /**
   * Values a client assertion's `aud` may name: the token URLs of hydra-api.md §4.2, plus the issuer itself,
   * which draft-ietf-oauth-rfc7523bis recommends and openid-client 6 sends.
   */
  tokenUrls: string[]
  accessTokenStrategy: 'opaque' | 'jwt'
  scopeClaim: 'list' | 'string' | 'both'
  scopeStrategy: ScopeStrategyName
  excludeNotBeforeClaim: boolean
  allowedTopLevelClaims: string[]
  mirrorTopLevelClaims: boolean
  preserveExtClaims: boolean
  accessTokenTtlMs: number
  /** Negative: refresh tokens never expire. */
  refreshTokenTtlMs: number
  idTokenTtlMs: number
  authCodeTtlMs: number
  encryptSessionAtRest: boolean
  rotationGracePeriodMs: number
  rotationGraceReuseCount: number
  isPkceEnforced: boolean
  isPkceEnforcedForPublicClients: boolean
  isDefaultGrantAllowedScope: boolean
  exposeInternalErrors: boolean
  /** `oauth2.token_hook`: called for every grant. */
  tokenHook?: HookTarget
  /** `oauth2.refresh_token_hook` (legacy): called for refresh_token grants only, before the token hook. */
  refreshTokenHook?: HookTarget
}

export function tokensConfigFrom (config: Readonly<Config>): TokensConfig {
  const urls = selfUrls(config)
  const configuredTokenUrl = config.webfinger.oidc_discovery.token_url
  const tokenUrls = [joinUrl(urls.public, 'oauth2/token'), joinUrl(urls.issuer, 'oauth2/token'), ...(configuredTokenUrl === undefined ? [] : [configuredTokenUrl])]
  const { oauth2 } = config
  const tokenHook = hookTarget('oauth2.token_hook', oauth2.token_hook)
  const refreshTokenHook = hookTarget('oauth2.refresh_token_hook', oauth2.refresh_token_hook)
  return {
    issuer: urls.issuer,
    tokenUrls: [...new Set([...tokenUrls, urls.issuer])],
    accessTokenStrategy: config.strategies.access_token,
    scopeClaim: config.strategies.jwt.scope_claim,
    scopeStrategy: config.strategies.scope,
    excludeNotBeforeClaim: oauth2.exclude_not_before_claim,
    allowedTopLevelClaims: [...oauth2.allowed_top_level_claims],
    mirrorTopLevelClaims: oauth2.mirror_top_level_claims,
    preserveExtClaims: oauth2.preserve_ext_claims,
    accessTokenTtlMs: parseDurationMs(config.ttl.access_token),
    refreshTokenTtlMs: config.ttl.refresh_token === '-1' ? -1 : parseDurationMs(config.ttl.refresh_token),
    idTokenTtlMs: parseDurationMs(config.ttl.id_token),
    authCodeTtlMs: parseDurationMs(config.ttl.auth_code),
    encryptSessionAtRest: oauth2.session.encrypt_at_rest,
    rotationGracePeriodMs: parseDurationMs(oauth2.grant.refresh_token.rotation_grace_period),
    rotationGraceReuseCount: oauth2.grant.refresh_token.rotation_grace_reuse_count,
    isPkceEnforced: oauth2.pkce.enforced,
    isPkceEnforcedForPublicClients: oauth2.pkce.enforced_for_public_clients,
    isDefaultGrantAllowedScope: oauth2.client_credentials.default_grant_allowed_scope,
    exposeInternalErrors: oauth2.expose_internal_errors,
    ...(tokenHook === undefined ? {} : { tokenHook }),
    ...(refreshTokenHook === undefined ? {} : { refreshTokenHook })
  }
}
