// The `serve.*` part of the config schema: listeners, sockets, TLS, CORS and cookies.
import { Type } from '@sinclair/typebox'
import {
  Bool, Duration, Enum, Int, OptionalObject, OptionalStr, OptionalUrl, Section, Str, StrList
} from './schema-types.js'

const HTTP_METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'HEAD', 'OPTIONS', 'TRACE']

function pemSource (what: 'certificate' | 'private key', isSensitive: boolean) {
  return OptionalObject(`The TLS ${what} in PEM form, from a file (path) or inline (base64).`, {
    path: OptionalStr(`Path to a PEM file holding the ${what}.`),
    base64: OptionalStr(`The PEM-encoded ${what}, base64-encoded.`, { sensitive: isSensitive })
  })
}

const terminationDescription =
  'CIDR ranges (IPv4 or IPv6) of proxies allowed to terminate TLS in front of Warden. With TLS enabled, a plain-HTTP ' +
  'request is accepted only from these addresses (remote address or an X-Forwarded-For entry) and only with ' +
  '`X-Forwarded-Proto: https`; others get 502. Health and metrics paths are exempt.'

function tlsProperties () {
  return {
    enabled: Type.Optional(Type.Boolean({ description: 'Serve HTTPS. Without cert and key, a self-signed certificate is generated and stored in the `hydra.https-tls` key set.' })),
    cert: pemSource('certificate', false),
    key: pemSource('private key', true)
  }
}

const cors = Section('Cross-Origin Resource Sharing for this listener.', {
  enabled: Bool(false, 'Answer CORS requests.'),
  allowed_origins: StrList([], 'Origins allowed to make cross-origin requests; `*` allows any, and an origin may hold one `*` wildcard (`https://*.example.com`). Empty means any origin when CORS is enabled.'),
  allowed_methods: Type.Array(Type.Union(HTTP_METHODS.map((method) => Type.Literal(method))), {
    default: HTTP_METHODS, description: 'HTTP methods allowed in cross-origin requests.'
  }),
  allowed_headers: StrList(['Accept', 'Content-Type', 'Content-Length', 'Accept-Language', 'Content-Language', 'Authorization'],
    'Request headers allowed in cross-origin requests.'),
  exposed_headers: StrList(['Cache-Control', 'Expires', 'Last-Modified', 'Pragma', 'Content-Length', 'Content-Language', 'Content-Type'],
    'Response headers the browser may show to cross-origin scripts.'),
  allow_credentials: Bool(true, 'Allow cookies and HTTP authentication on cross-origin requests.'),
  options_passthrough: Bool(false, 'Pass preflight (OPTIONS) requests on to the route instead of answering them.'),
  max_age: Int(0, 'Seconds a browser may cache a preflight answer; 0 means it is not cached.', { minimum: 0 }),
  debug: Bool(false, 'Log why CORS requests were accepted or refused.')
})

function listener (name: 'public' | 'admin', port: number, purpose: string) {
  return Section(`The ${name} listener: ${purpose}`, {
    port: Int(port, `TCP port of the ${name} listener.`, { minimum: 1, maximum: 65535 }),
    host: Str('', `Interface to listen on: empty for all interfaces, an IP address or host name, or \`unix:/absolute/path\` for a UNIX socket.`),
    base_url: OptionalUrl(`The URL the ${name} listener is reached at, used where a URL for it is needed and \`urls.self.*\` does not say.`),
    socket: Section('Ownership and permissions of the UNIX socket, when `host` is `unix:...`.', {
      owner: Str('', 'User owning the socket; empty keeps the user running Warden.'),
      group: Str('', 'Group owning the socket; empty keeps the primary group of the user running Warden.'),
      mode: Type.Integer({
        default: 493,
        minimum: 0,
        maximum: 511,
        coerce: 'octal-mode',
        expected: 'a permission mode: an octal string such as "0770", or an integer from 0 to 511',
        description: 'Permission bits of the socket: an octal string such as `"0770"` or an integer (493 is 0755). In YAML an unquoted `0770` is octal; `770` is decimal and therefore refused.'
      })
    }),
    request_log: Section('Request logging.', {
      disable_for_health: Bool(false, 'Do not log requests to the health endpoints (and, on admin, the metrics endpoint).')
    }),
    tls: OptionalObject(`Overrides \`serve.tls\` for the ${name} listener only; each key left out is taken from \`serve.tls\`.`, {
      ...tlsProperties(),
      allow_termination_from: Type.Optional(Type.Array(Type.String(), { description: terminationDescription }))
    }),
    cors
  })
}

export const ServeSchema = Section('The HTTP listeners.', {
  public: listener('public', 4444, 'OAuth2 and OpenID Connect endpoints for browsers and clients.'),
  admin: listener('admin', 4445, 'the administrative API. It has no authentication: never expose it publicly.'),
  tls: Section('TLS for both listeners (each may override it under `serve.<listener>.tls`). Off by default: put a TLS-terminating proxy in front.', {
    ...tlsProperties(),
    allow_termination_from: StrList([], terminationDescription)
  }),
  cookies: Section('Cookies set on the public listener (login session and CSRF cookies).', {
    same_site_mode: Enum(['Strict', 'Lax', 'None'], 'None', 'SameSite attribute of the cookies. `None` is sent as `Lax` when the issuer is plain http, because browsers drop insecure `SameSite=None` cookies.'),
    same_site_legacy_workaround: Bool(false, 'Also set a copy of each CSRF cookie without SameSite, for old browsers that reject `SameSite=None`.'),
    domain: OptionalStr('Domain attribute of the cookies; unset means the host of the request.'),
    secure: Bool(false, 'Secure attribute in dev mode. Outside dev mode cookies are always Secure.'),
    names: Section('Cookie names (dev mode appends `_dev` to each).', {
      session: Str('ory_hydra_session', 'Name of the login session cookie.'),
      login_csrf: Str('ory_hydra_login_csrf', 'Name of the login CSRF cookie (a per-client suffix is added).'),
      consent_csrf: Str('ory_hydra_consent_csrf', 'Name of the consent CSRF cookie (a per-client suffix is added).'),
      device_csrf: Str('ory_hydra_device_csrf', 'Name of the device flow CSRF cookie.')
    }),
    paths: Section('Cookie paths.', {
      session: Str('/', 'Path attribute of the login session cookie.')
    })
  }),
  ui: Section('Warden extension: the bundled reference login, consent and logout app (src/ui). `serve all --dev` starts it on 127.0.0.1 when `urls.login` and `urls.consent` are not set, and points `urls.login`, `urls.consent` and `urls.logout` at it; `--ui` / `--no-ui` force it on or off.', {
    port: Int(3000, 'TCP port of the bundled login app. Change it when several dev instances run on one machine.', { minimum: 1, maximum: 65535 }),
    users_file: OptionalStr('YAML or JSON list of the login app\'s demo users (`email`, `name`, `password_hash` from `node dist/src/ui/hash-password.js <password>`, optional `subject`). Unset: one user, foo@bar.com with password foobar.')
  }),
  max_request_body_bytes: Int(1048576, 'Warden extension: largest request body accepted, in bytes; bigger bodies get 413.', { minimum: 1 }),
  shutdown_timeout: Duration('10s', 'Warden extension: how long a stopping server waits for in-flight requests before closing their connections.'),
  workers: Type.Union([Type.Integer({ minimum: 1, maximum: 256 }), Type.Literal('auto')], {
    default: 1,
    expected: 'a number of processes from 1 to 256, or "auto"',
    description: 'Warden extension: worker processes sharing the listeners (node:cluster); `auto` starts one per CPU. ' +
      'The primary process applies automatic migrations and creates missing keys once, then starts the workers; each ' +
      'worker keeps its own caches (the verified-secret cache stays correct across workers, see docs/performance.md). ' +
      'SIGTERM/SIGINT to the primary stops every worker gracefully. With SQLite all workers share one writer lock.'
  })
})
