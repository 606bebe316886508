// The `oauth2.*` part of the config schema: token contents, hashing, PKCE, grants, hooks and the device flow.
import { Type } from '@sinclair/typebox'
import { Bool, Duration, Enum, Int, OptionalEnum, OptionalStr, Section, StrList, URL_FORMAT } from './schema-types.js'

function hook (description: string) {
  return Type.Optional(Type.Union([
    Type.String({ format: URL_FORMAT }),
    Type.Object({
      url: Type.String({ format: URL_FORMAT }),
      auth: Type.Optional(Type.Object({
        type: Type.Literal('api_key'),
        config: Type.Object({
          // Optional as in Hydra, which then sends no credentials at all.
          in: Type.Optional(Type.Union([Type.Literal('header'), Type.Literal('cookie')])),
          name: Type.String({ minLength: 1 }),
          value: Type.String({ sensitive: true })
        }, { additionalProperties: false })
      }, { additionalProperties: false }))
    }, { additionalProperties: false })
  ], {
    description,
    expected: 'a URL, or an object {url, auth: {type: "api_key", config: {in: "header"|"cookie", name, value}}}'
  }))
}

export const OAuth2Schema = Section('OAuth 2.0 behaviour.', {
  expose_internal_errors: Bool(false, 'Append the debug text of errors to error responses and redirects. Useful while developing; it can leak internals. `--dev` does not turn it on.'),
  include_legacy_error_fields: Bool(false, 'Warden extension: also send `error_hint`, `error_debug` and `status_code` as separate error fields, as Hydra v1 did.'),
  session: Section('Stored session data.', {
    encrypt_at_rest: Bool(true, 'Encrypt session data (the claims of login and consent) in the database with `secrets.system`.')
  }),
  exclude_not_before_claim: Bool(false, 'Leave the `nbf` claim out of JWT access tokens.'),
  allowed_top_level_claims: StrList([], 'Keys of the consent session `access_token` data that are copied to the top level of JWT access tokens (and introspection).'),
  mirror_top_level_claims: Bool(true, 'Also keep the full session data under `ext` in JWT access tokens.'),
  preserve_ext_claims: Bool(false, 'With mirroring off, still keep the keys that were not promoted to the top level under `ext`.'),
  hashers: Section('How client secrets are hashed.', {
    algorithm: Enum(['pbkdf2', 'bcrypt'], 'pbkdf2', 'Hash for new client secrets; existing hashes of either kind keep working.'),
    bcrypt: Section('bcrypt parameters.', {
      cost: Int(10, 'bcrypt cost factor.', { minimum: 4, maximum: 31 })
    }),
    pbkdf2: Section('PBKDF2 (SHA-256) parameters.', {
      iterations: Int(25000, 'PBKDF2 iteration count.', { minimum: 1 })
    })
  }),
  pkce: Section('Proof Key for Code Exchange (RFC 7636).', {
    enforced: Bool(false, 'Require PKCE from every client.'),
    enforced_for_public_clients: Bool(false, 'Require PKCE from public clients (`token_endpoint_auth_method: none`).')
  }),
  client_credentials: Section('The client credentials grant.', {
    default_grant_allowed_scope: Bool(false, 'When a client credentials request names no scope, grant all scopes of the client.')
  }),
  grant: Section('Grant-specific settings.', {
    refresh_token: Section('Refresh token rotation.', {
      rotation_grace_period: Duration('0s', 'How long a rotated refresh token may still be used (at most 5m, or at most 180 days with a reuse count); 0s turns the grace period off.'),
      rotation_grace_reuse_count: Int(0, 'How often a rotated refresh token may be reused within the grace period; 0 means no limit.', { minimum: 0 })
    }),
    jwt: Section('The JWT bearer grant (RFC 7523).', {
      jti_optional: Bool(false, 'Accept assertions without a `jti` claim.'),
      iat_optional: Bool(false, 'Accept assertions without an `iat` claim.'),
      max_ttl: Duration('720h', 'Longest time between the `iat` (now when the assertion has none) and the `exp` of an accepted assertion.'),
      omit_assertion_audience: Bool(true, 'Do not copy the audience of the assertion into the issued access token.')
    })
  }),
  token_hook: hook('Webhook POSTed to before the tokens of every grant (authorization_code, refresh_token, client_credentials, ' +
    'jwt-bearer) are minted. It answers 204 to change nothing, 200 with `{"session": {"access_token": {...}, "id_token": {...}}}` ' +
    'to replace the access-token (`ext`) and ID-token claims, or 403 to refuse the request (`access_denied`). See docs/tokens.md.'),
  refresh_token_hook: hook('Legacy (deprecated) webhook called before refresh_token grants only, with Hydra\'s older request body, ' +
    'before `oauth2.token_hook`; prefer `oauth2.token_hook`.'),
  device_authorization: Section('The device authorization grant (RFC 8628).', {
    token_polling_interval: Duration('5s', 'Polling interval advertised to devices.'),
    user_code: Section('The user code shown on the device.', {
      entropy_preset: OptionalEnum(['high', 'medium', 'low'], '`high`: 8 characters from an unambiguous mixed-case set; `medium`: 8 upper-case letters; `low`: 9 digits. `high` when neither a preset nor length and character_set are given.'),
      length: Type.Optional(Type.Integer({ minimum: 6, description: 'Length of the user code (with `character_set`, instead of a preset).' })),
      character_set: OptionalStr('Characters the user code is drawn from (with `length`, instead of a preset).', { minLength: 8 })
    })
  })
})
