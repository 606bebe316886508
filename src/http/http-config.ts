// The slice of Config the HTTP layer and listeners read; the full Config is assignable to it.

export type ListenerName = 'public' | 'admin'

export interface PemSourceConfig {
  readonly path?: string | undefined
  readonly base64?: string | undefined
}

export interface TlsConfig {
  readonly enabled?: boolean | undefined
  readonly cert?: PemSourceConfig | undefined
  readonly key?: PemSourceConfig | undefined
  readonly allow_termination_from?: readonly string[] | undefined
}

export interface ListenerConfig {
  readonly port: number
  readonly host: string
  readonly socket: { readonly owner: string, readonly group: string, readonly mode: number }
  readonly request_log: { readonly disable_for_health: boolean }
  readonly tls?: TlsConfig | undefined
}

export interface HttpConfig {
  readonly dev: boolean
  readonly serve: {
    readonly public: ListenerConfig
    readonly admin: ListenerConfig
    readonly tls: TlsConfig
    readonly max_request_body_bytes: number
    readonly shutdown_timeout: string
  }
  readonly log: {
    readonly level: string
    readonly format: string
    readonly leak_sensitive_values: boolean
    readonly redaction_text: string
  }
  readonly oauth2: {
    readonly expose_internal_errors: boolean
    readonly include_legacy_error_fields: boolean
  }
  readonly urls: { readonly self: { readonly issuer?: string | undefined, readonly public?: string | undefined, readonly admin?: string | undefined } }
  /** Only `warden doctor`'s probe reads it (health.routes.ts); without it the probe goes unanswered. */
  readonly secrets?: { readonly system: readonly string[] } | undefined
}
