// The one config schema: every key Warden reads, with its type, default and description (docs are generated from it).
import { Type, type Static } from '@sinclair/typebox'
import { OAuth2Schema } from './oauth2-schema.js'
import {
  Bool, Duration, DURATION_EXPECTED, Enum, OptionalEnum, OptionalStr, OptionalUrl, Section, Str, StrList
} from './schema-types.js'
import { ServeSchema } from './serve-schema.js'
import { GO_DURATION_PATTERN } from '../lib/duration.js'

/** The DSN dev mode uses when none is configured (a path relative to the working directory). */
export const DEV_DSN = 'sqlite://./data/warden.sqlite?_fk=true'

const SECRET_MIN_LENGTH = 16

function secretList (description: string) {
  return Type.Array(Type.String({ minLength: SECRET_MIN_LENGTH, sensitive: true }), { default: [], description, sensitive: true })
}

const notImplemented = 'Accepted for compatibility with Hydra config files; Warden does not export traces yet, so it is ignored.'

function tracingSampling (ratioKey: 'trace_id_ratio' | 'sampling_ratio', extra: Record<string, ReturnType<typeof OptionalUrl>> = {}) {
  return Section('Sampling.', {
    ...extra,
    [ratioKey]: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Share of traces to sample (0 to 1).' }))
  })
}

const TracingSchema = Section(`Distributed tracing. ${notImplemented}`, {
  provider: OptionalEnum(['jaeger', 'otel', 'zipkin'], 'Tracing backend.'),
  service_name: OptionalStr('Service name reported with traces.'),
  deployment_environment: OptionalStr('Deployment environment reported with traces.'),
  providers: Section('Backend settings.', {
    jaeger: Section('Jaeger.', {
      local_agent_address: OptionalStr('Address of the Jaeger agent (host:port).'),
      sampling: tracingSampling('trace_id_ratio', { server_url: OptionalUrl('URL of the sampling server.') })
    }),
    zipkin: Section('Zipkin.', {
      server_url: OptionalUrl('URL of the Zipkin collector.'),
      sampling: tracingSampling('sampling_ratio')
    }),
    otlp: Section('OpenTelemetry protocol (HTTP).', {
      server_url: OptionalStr('Address of the OTLP collector (host:port).'),
      insecure: Type.Optional(Type.Boolean({ description: 'Send without TLS.' })),
      authorization_header: OptionalStr('Authorization header sent to the collector.', { sensitive: true }),
      sampling: tracingSampling('sampling_ratio')
    })
  })
})

const UrlsSchema = Section('URLs of this server and of the login, consent and logout UI.', {
  self: Section('URLs of this server.', {
    issuer: OptionalUrl('Issuer (`iss`) of all tokens, used exactly as written. Required, and must be https unless in dev mode; dev mode defaults it to `http://127.0.0.1:<serve.public.port>/`.'),
    public: OptionalUrl('Base URL of the public listener, for advertised endpoints and redirects. Defaults to the issuer.'),
    admin: OptionalUrl('Base URL of the admin listener. Defaults to `serve.admin.base_url`, else `http(s)://<serve.admin.host or 127.0.0.1>:<serve.admin.port>/`.')
  }),
  login: OptionalUrl('Login UI. Defaults to `<public>oauth2/fallbacks/login`, a page saying it is not configured.'),
  consent: OptionalUrl('Consent UI. Defaults to `<public>oauth2/fallbacks/consent`.'),
  logout: OptionalUrl('Logout UI. Defaults to `<public>oauth2/fallbacks/logout`.'),
  error: OptionalUrl('Page for errors that cannot be sent to a client. Defaults to `<public>oauth2/fallbacks/error`.'),
  post_logout_redirect: OptionalUrl('Where to go after logout when the client names no destination. Defaults to `<public>oauth2/fallbacks/logout/callback`.'),
  registration: OptionalUrl('Registration UI, used for `prompt=registration`. Defaults to `urls.login`.'),
  device: Section('The device flow UI.', {
    verification: OptionalUrl('Where users enter the device user code. Defaults to `<public>oauth2/fallbacks/device`.'),
    success: OptionalUrl('Page shown after a device flow succeeds. Defaults to `<public>oauth2/fallbacks/device/done`.')
  }),
  identity_provider: Section('An Ory Kratos identity provider.', {
    url: OptionalUrl('Admin URL of Kratos; when set, logout also ends the Kratos session given at login accept.'),
    publicUrl: OptionalUrl('Public URL of Kratos.'),
    headers: Type.Record(Type.String(), Type.String(), { default: {}, description: 'Extra HTTP headers sent with every request to Kratos.' })
  })
})

export const ConfigSchema = Type.Object({
  serve: ServeSchema,
  dsn: OptionalStr(`Database to use: \`postgres://...\`, \`mysql://...\`, \`sqlite:///absolute/path.sqlite?_fk=true\` or \`memory\` (data lost on exit; only with \`serve all\`). Required; dev mode defaults it to \`${DEV_DSN}\`, relative to the working directory.`, { sensitive: true }),
  db: Section('Database behaviour.', {
    ignore_unknown_table_columns: Bool(false, 'Tolerate columns the code does not know (for instance after a downgrade).')
  }),
  log: Section('Logging.', {
    level: Enum(['panic', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info', 'Least severe level that is logged.'),
    format: Enum(['text', 'json', 'json_pretty'], 'text', 'Log line format.'),
    leak_sensitive_values: Bool(false, 'Log sensitive values such as cookies, authorization headers and query parameters. Never in production.'),
    redaction_text: Str('Value is sensitive and has been redacted. To see it, set the config key "log.leak_sensitive_values" to true (environment variable LOG_LEAK_SENSITIVE_VALUES=true).',
      'Text logged in place of a sensitive value.')
  }),
  urls: UrlsSchema,
  secrets: Section('Secrets. The first entry of each list is used for new data; all entries are tried when reading, so rotate by putting a new secret first.', {
    system: secretList(`Secrets that encrypt data at rest and sign opaque tokens, each at least ${SECRET_MIN_LENGTH} characters. Required; dev mode generates a random one that does not survive a restart.`),
    cookie: secretList('Secrets that sign cookies. Defaults to `secrets.system` when empty.'),
    pagination: secretList('Secrets that encrypt pagination tokens. Defaults to `secrets.system` when empty.')
  }),
  ttl: Section('Lifetimes.', {
    login_consent_request: Duration('30m', 'Lifetime of login, consent, device and logout challenges, their verifiers and CSRF cookies.'),
    authentication_session: Duration('720h', 'Lifetime of the "remember me" login session (at most 180 days).'),
    access_token: Duration('1h', 'Lifetime of access tokens.'),
    refresh_token: Type.String({
      pattern: `${GO_DURATION_PATTERN}|^-1$`,
      default: '720h',
      coerce: 'string',
      expected: `${DURATION_EXPECTED}, or "-1"`,
      description: 'Lifetime of refresh tokens; `-1` means they never expire.'
    }),
    id_token: Duration('1h', 'Lifetime of ID tokens.'),
    auth_code: Duration('10m', 'Lifetime of authorization codes.'),
    device_user_code: Duration('10m', 'Lifetime of device user codes.')
  }),
  strategies: Section('Token formats and matching rules.', {
    scope: Enum(['wildcard', 'exact'], 'wildcard', 'How requested scopes match a client\'s scopes: `wildcard` lets `foo.*` match `foo.bar`; `exact` needs equal strings.'),
    access_token: Enum(['opaque', 'jwt'], 'opaque', 'Access token format (clients may override it).'),
    jwt: Section('JWT access tokens.', {
      scope_claim: Enum(['list', 'string', 'both'], 'list', 'Scope claim: `list` sends an `scp` array, `string` a space-separated `scope`, `both` sends both.')
    })
  }),
  oauth2: OAuth2Schema,
  oidc: Section('OpenID Connect.', {
    subject_identifiers: Section('Subject identifier types (OpenID Connect Core §8).', {
      supported_types: Type.Array(Type.Union([Type.Literal('public'), Type.Literal('pairwise')]), {
        default: ['public'], minItems: 1, description: 'Subject types clients may choose from.'
      }),
      pairwise: Section('Pairwise subjects.', {
        salt: OptionalStr('Salt of pairwise subject identifiers, at least 8 characters; required when `pairwise` is supported. Changing it changes every pairwise subject.', { sensitive: true })
      })
    }),
    dynamic_client_registration: Section('OpenID Connect Dynamic Client Registration (RFC 7591) on the public listener.', {
      enabled: Bool(false, 'Serve `/oauth2/register`.'),
      default_scope: StrList(['offline_access', 'offline', 'openid'], 'Scope given to a registered client that asks for none.')
    })
  }),
  webfinger: Section('The `/.well-known/*` documents.', {
    jwks: Section('`/.well-known/jwks.json`.', {
      broadcast_keys: StrList(['hydra.openid.id-token'], 'Key sets whose public keys are published (`hydra.jwt.access-token` is always added).')
    }),
    oidc_discovery: Section('`/.well-known/openid-configuration`: overrides of advertised values.', {
      jwks_url: OptionalUrl('Advertised `jwks_uri`.'),
      token_url: OptionalUrl('Advertised `token_endpoint` (also accepted as audience of client assertions).'),
      auth_url: OptionalUrl('Advertised `authorization_endpoint`.'),
      device_authorization_url: OptionalUrl('Advertised `device_authorization_endpoint`.'),
      userinfo_url: OptionalUrl('Advertised `userinfo_endpoint`.'),
      client_registration_url: OptionalUrl('Advertised `registration_endpoint`.'),
      supported_claims: Type.Optional(Type.Array(Type.String(), { description: 'Advertised `claims_supported` (`sub` is always added).' })),
      supported_scope: Type.Optional(Type.Array(Type.String(), { description: 'Advertised `scopes_supported` (`offline_access`, `offline` and `openid` are always added).' }))
    })
  }),
  clients: Section('OAuth 2.0 client handling: outgoing HTTP requests and the in-memory client cache.', {
    http: Section('HTTP client for outgoing requests (JWKS URIs, sector identifiers, request objects, hooks, back-channel logout).', {
      disallow_private_ip_ranges: Bool(false, 'Refuse to call private, loopback and link-local addresses, and refuse client URLs that point there.'),
      private_ip_exception_urls: StrList([], 'Exact URLs exempt from `disallow_private_ip_ranges`.')
    }),
    cache: Section('Warden only: clients read from the database are kept in memory for the token and authorization endpoints.', {
      ttl: Duration('1s', 'How long a cached client is used before it is read again; `0s` turns the cache off. A change made through ' +
        'this process is seen at once; one made through another instance or worker is seen within this time, so it bounds how ' +
        'long a deleted client or a replaced secret keeps working there.')
    })
  }),
  tracing: TracingSchema,
  profiling: OptionalEnum(['cpu', 'mem'], 'Accepted for compatibility with Hydra config files (Go profiling); ignored.'),
  version: OptionalStr('Version marker of the config file, such as `v2.2.0`; not checked.'),
  dev: Bool(false, 'Development mode (also `--dev`): allows an http or missing issuer, generates a secret, defaults the DSN to SQLite, relaxes cookie and redirect URI checks. Never in production.'),
  sqa: Section('Anonymous usage statistics.', {
    opt_out: Bool(false, 'Accepted for compatibility (also `--sqa-opt-out`); Warden sends no usage statistics.')
  })
}, { additionalProperties: false })

export type Config = Static<typeof ConfigSchema>
