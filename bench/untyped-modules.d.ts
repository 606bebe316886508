// Minimal declarations for the two untyped devDependencies the benchmark uses (only what bench/ calls).
declare module 'oidc-provider' {
  export default class Provider {
    constructor (issuer: string, configuration: Record<string, unknown>)
    listen (port: number, host: string, callback?: () => void): import('node:http').Server
    proxy: boolean
    on (event: string, listener: (...args: unknown[]) => void): this
  }
}

declare module 'autocannon' {
  interface AutocannonRequest {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void
  }
  interface AutocannonOptions {
    url: string
    connections?: number
    duration?: number
    amount?: number
    pipelining?: number
    method?: string
    headers?: Record<string, string>
    body?: string
    requests?: AutocannonRequest[]
  }
  interface Histogram { average: number, mean: number, p50: number, p90: number, p99: number, max: number }
  interface AutocannonResult {
    requests: Histogram & { total: number }
    latency: Histogram
    '1xx': number
    '2xx': number
    '3xx': number
    '4xx': number
    '5xx': number
    non2xx: number
    errors: number
    timeouts: number
    duration: number
    statusCodeStats?: Record<string, { count: number }>
  }
  function autocannon (options: AutocannonOptions): Promise<AutocannonResult>
  export default autocannon
  export type { AutocannonOptions, AutocannonRequest, AutocannonResult }
}
