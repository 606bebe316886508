// What both fastify apps need from the composition root.
import type { Logger } from 'pino'
import type { HttpConfig, ListenerName } from './http-config.js'
import type { HttpMetrics } from './plugins/metrics.js'

export type { ListenerName } from './http-config.js'

export interface Readiness {
  /** `{}` when ready; otherwise check name → reason (the public listener hides the reasons). */
  check(): Promise<Record<string, string>>
}

/** Whether the app runs the TLS-termination guard; false turns it off whatever the config says. */
export type TlsTerminationSetting = { trustedProxies: readonly string[] } | false

export interface HttpAppDeps {
  config: HttpConfig
  logger: Logger
  readiness: Readiness
  /** One registry per process, shared by both listeners. */
  metrics: HttpMetrics
  /** Reported by GET /admin/version, e.g. "v26.2.0". */
  version: string
  /** Informational: buildPublicApp and buildAdminApp know which listener they build. */
  listener?: ListenerName
  /** Overrides the guard decision derived from config (decideTlsMode(...).mode === 'termination'). */
  tlsTermination?: TlsTerminationSetting
}
