// OpenAPI 3.1 description of the HTTP API: the operation records each domain declares, and the document builder.
//
// Route files keep validating bodies themselves (TypeBox `Value.Check`, without fastify's coercing ajv), so the
// description lives beside them in `<domain>.openapi.ts` tables instead of in fastify route schemas. Each
// record names the listener(s) serving it; a test checks that the registered routes and the records agree.
import { Type, type TSchema } from '@sinclair/typebox'

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'
export type Listener = 'public' | 'admin'

export interface OperationParameter {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  description?: string
  schema?: TSchema
}

export interface OperationResponse {
  description: string
  /** The body; absent for empty responses (204, redirects). */
  schema?: TSchema
  /** Defaults to application/json when a schema is given. */
  contentType?: string
  headers?: Readonly<Record<string, string>>
}

export interface OpenApiOperation {
  /** Hydra's operationId when Hydra has the operation (one grep finds it in Hydra's spec, its SDK and our code). */
  operationId: string
  method: HttpMethod
  /** Path as Hydra's spec writes it, with `{param}` templates; admin-only paths start with /admin. */
  path: string
  /** Where it is served. On the admin listener the route is registered under /admin (see routePathOf). */
  listeners: readonly Listener[]
  summary: string
  description?: string
  /** Hydra's tags, which name the SDK class: oAuth2, oidc, jwk, metadata, wellknown. */
  tags: readonly string[]
  parameters?: readonly OperationParameter[]
  requestBody?: { contentType: string, schema: TSchema, required?: boolean, description?: string }
  /** Status → response; `default` is added (errorOAuth2) unless given. */
  responses: Readonly<Record<string, OperationResponse>>
  /** Not part of Hydra's API (a Warden addition, or a Hydra route its spec leaves out). */
  isWardenExtension?: boolean
}

/** Hydra's error body (errors/wire.ts shapes it); the legacy fields appear with oauth2.include_legacy_error_fields. */
export const ErrorOAuth2Schema = Type.Object({
  error: Type.String({ description: 'Error code, e.g. invalid_request.' }),
  error_description: Type.String({ description: 'Description, with the hint (and debug text when exposed) appended.' }),
  error_hint: Type.Optional(Type.String({ description: 'Legacy mode only.' })),
  error_debug: Type.Optional(Type.String({ description: 'Legacy mode with oauth2.expose_internal_errors only.' })),
  status_code: Type.Optional(Type.Integer({ description: 'Legacy mode only.' }))
}, { $id: 'errorOAuth2', description: 'Error' })

export const errorResponse: OperationResponse = { description: 'errorOAuth2', schema: ErrorOAuth2Schema }

/** Identity helper that type-checks one record. */
export function operation (spec: OpenApiOperation): OpenApiOperation {
  return spec
}

export const pathParam = (name: string, description: string): OperationParameter =>
  ({ name, in: 'path', required: true, description, schema: Type.String() })

export const queryParam = (name: string, description: string, options: { required?: boolean, schema?: TSchema } = {}): OperationParameter =>
  ({ name, in: 'query', description, required: options.required ?? false, schema: options.schema ?? Type.String() })

/** The path fastify registers for `op` on `listener`: `{id}` → `:id`, and admin routes under /admin. */
export function routePathOf (op: Pick<OpenApiOperation, 'path'>, listener: Listener): string {
  const path = op.path.replace(/\{([^}]+)\}/g, ':$1')
  return listener === 'admin' && !path.startsWith('/admin/') ? `/admin${path}` : path
}

type Json = Record<string, unknown>

/**
 * Plain JSON Schema from a TypeBox schema: symbols dropped, `$id` schemas moved to components and referenced,
 * and `undefined` union members (TypeBox's "body may be absent") removed, since JSON has no such value.
 */
function toJsonSchema (schema: TSchema, components: Map<string, Json>): Json {
  const plain = JSON.parse(JSON.stringify(schema)) as Json
  return hoist(plain, components) as Json
}

function hoist (node: unknown, components: Map<string, Json>): unknown {
  if (Array.isArray(node)) return node.map((item) => hoist(item, components))
  if (typeof node !== 'object' || node === null) return node
  const source = node as Json
  const out: Json = {}
  for (const [key, value] of Object.entries(source)) {
    if (key === '$id') continue
    out[key] = key === 'properties' || key === 'patternProperties'
      ? Object.fromEntries(Object.entries(value as Json).map(([name, child]) => [name, hoist(child, components)]))
      : hoist(value, components)
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const members = out[key]
    if (!Array.isArray(members)) continue
    const kept = members.filter((member) => (member as Json).type !== 'undefined')
    if (kept.length === 1) {
      delete out[key]
      Object.assign(out, kept[0] as Json)
    } else {
      out[key] = kept
    }
  }
  const id = source.$id
  if (typeof id !== 'string') return out
  const known = components.get(id)
  if (known !== undefined && JSON.stringify(known) !== JSON.stringify(out)) throw new Error(`two different schemas are named ${id}`)
  components.set(id, out)
  return { $ref: `#/components/schemas/${id}` }
}

function responseObject (response: OperationResponse, components: Map<string, Json>): Json {
  const out: Json = { description: response.description }
  if (response.headers !== undefined) {
    out.headers = Object.fromEntries(Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]))
  }
  if (response.schema !== undefined) {
    out.content = { [response.contentType ?? 'application/json']: { schema: toJsonSchema(response.schema, components) } }
  }
  return out
}

function operationObject (op: OpenApiOperation, components: Map<string, Json>): Json {
  const out: Json = { operationId: op.operationId, summary: op.summary }
  if (op.description !== undefined) out.description = op.description
  out.tags = [...op.tags]
  if (op.parameters !== undefined && op.parameters.length > 0) {
    out.parameters = op.parameters.map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      required: parameter.in === 'path' ? true : parameter.required ?? false,
      ...(parameter.description === undefined ? {} : { description: parameter.description }),
      schema: parameter.schema === undefined ? { type: 'string' } : toJsonSchema(parameter.schema, components)
    }))
  }
  if (op.requestBody !== undefined) {
    out.requestBody = {
      ...(op.requestBody.description === undefined ? {} : { description: op.requestBody.description }),
      required: op.requestBody.required ?? true,
      content: { [op.requestBody.contentType]: { schema: toJsonSchema(op.requestBody.schema, components) } }
    }
  }
  const responses = { default: errorResponse, ...op.responses }
  out.responses = Object.fromEntries(Object.entries(responses)
    .sort(([a], [b]) => (a === 'default' ? 1 : 0) - (b === 'default' ? 1 : 0) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([status, response]) => [status, responseObject(response, components)]))
  out['x-warden-listeners'] = [...op.listeners]
  if (op.isWardenExtension === true) out['x-warden-extension'] = true
  return out
}

export interface OpenApiInfo {
  title: string
  version: string
  description: string
}

/** The document: paths in the order given, components sorted by name, so the output is stable. */
export function buildOpenApiDocument (operations: readonly OpenApiOperation[], info: OpenApiInfo): Json {
  const components = new Map<string, Json>()
  const paths: Record<string, Json> = {}
  const seen = new Set<string>()
  for (const op of operations) {
    if (seen.has(op.operationId)) throw new Error(`operationId ${op.operationId} is declared twice`)
    seen.add(op.operationId)
    const item = paths[op.path] ?? {}
    if (item[op.method] !== undefined) throw new Error(`${op.method.toUpperCase()} ${op.path} is declared twice`)
    item[op.method] = operationObject(op, components)
    paths[op.path] = item
  }
  const schemas = Object.fromEntries([...components.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return { openapi: '3.1.0', info: { ...info, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } }, paths, components: { schemas } }
}
