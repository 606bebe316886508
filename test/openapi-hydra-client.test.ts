// Compares the OpenAPI document with @ory/hydra-client 26.2.0: for every operation both have, the SDK's method, path,
// query and form parameters, and the JSON field names of its models against our schemas.
//
// The SDK is read two ways: its request builders (XxxApiAxiosParamCreator) are called with placeholder arguments, which
// yields the method, path, query and form names exactly as it would send them; its typings (dist/api.d.ts) give each
// operation's parameter names/types and response model, and each model's field names.
// Field differences are not hidden: KNOWN_DIFFERENCES lists every one with the reason, and the test fails when the
// actual differences change, so each new one gets looked at (and docs/migrating-from-hydra.md updated if it matters).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as sdk from '@ory/hydra-client'
import { wardenOpenApiDocument, wardenOperations } from '../src/app/openapi-document.js'

type Json = Record<string, unknown>
interface SdkParam { name: string, type: string }
interface SdkOperation { api: string, params: SdkParam[], responseType: string }

const typings = readFileSync(join(dirname(createRequire(import.meta.url).resolve('@ory/hydra-client')), 'api.d.ts'), 'utf8')

/** Model name → its field names, from `export interface X { 'field'?: T; ... }`. */
function sdkModels (): Map<string, Set<string>> {
  const models = new Map<string, Set<string>>()
  for (const [, name, body] of typings.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    models.set(name as string, new Set([...(body as string).matchAll(/^ {4}'?([\w#$]+)'?\??:/gm)].map((match) => match[1] as string)))
  }
  return models
}

/** operationId → SDK class, parameters (from the request builders' typings) and response type (from the Fp typings). */
function sdkOperations (): Map<string, SdkOperation> {
  const operations = new Map<string, SdkOperation>()
  for (const [, api, body] of typings.matchAll(/^export declare const (\w+)ApiAxiosParamCreator: [^\n]*\{\n([\s\S]*?)^\};/gm)) {
    for (const [, name, list] of (body as string).matchAll(/^ {4}(\w+): \((.*)\) => Promise<RequestArgs>;$/gm)) {
      const params = (list as string).split(', ').map((entry) => {
        const [rawName, type] = entry.split(': ')
        return { name: (rawName as string).replace(/\?$/, ''), type: type as string }
      }).filter((param) => param.name !== 'options')
      operations.set(name as string, { api: api as string, params, responseType: '' })
    }
  }
  for (const [, name, type] of typings.matchAll(/^ {4}(\w+)\(.*\): Promise<\(axios\?: AxiosInstance, basePath\?: string\) => AxiosPromise<(.+)>>;$/gm)) {
    const known = operations.get(name as string)
    if (known !== undefined) known.responseType = type as string
  }
  return operations
}

interface SentRequest { method: string, path: string, query: string[], form: string[] | undefined, bodyType: string | undefined }

/** What the SDK sends for `operationId`: path parameters come back as `{name}` templates. */
async function sdkRequest (operationId: string, op: SdkOperation, models: Map<string, Set<string>>): Promise<SentRequest> {
  const creator = (sdk as unknown as Record<string, (configuration?: unknown) => Record<string, (...args: unknown[]) => Promise<{ url: string, options: { method: string, data?: unknown, headers?: Record<string, string> } }>>>)[`${op.api}ApiAxiosParamCreator`]
  assert.ok(creator !== undefined, `${op.api}ApiAxiosParamCreator`)
  const args = op.params.map((param) => param.type === 'string' ? `{${param.name}}` : param.type === 'number' ? 7 : param.type === 'boolean' ? true : {})
  const built = await creator()[operationId]?.(...args)
  assert.ok(built !== undefined, operationId)
  const url = new URL(built.url, 'http://sdk.invalid')
  const isForm = built.options.headers?.['Content-Type'] === 'application/x-www-form-urlencoded'
  const bodyParam = op.params.find((param) => models.has(modelName(param.type)))
  return {
    method: built.options.method.toLowerCase(),
    path: decodeURIComponent(url.pathname),
    query: [...url.searchParams.keys()].sort(),
    form: isForm ? [...new URLSearchParams(String(built.options.data)).keys()].sort() : undefined,
    bodyType: bodyParam === undefined ? undefined : modelName(bodyParam.type)
  }
}

/** `Array<X>` → X. */
function modelName (type: string): string {
  return type.replace(/^Array<(.+)>$/, '$1')
}

const document = wardenOpenApiDocument() as { paths: Record<string, Record<string, Json>>, components: { schemas: Record<string, Json> } }

function resolve (schema: Json): Json {
  const ref = schema.$ref
  return typeof ref === 'string' ? resolve(document.components.schemas[ref.replace('#/components/schemas/', '')] as Json) : schema
}

/** Component name behind a schema (through arrays and nullable unions), if any. */
function componentOf (schema: Json | undefined): string | undefined {
  if (schema === undefined) return undefined
  if (typeof schema.$ref === 'string') return schema.$ref.replace('#/components/schemas/', '')
  if (schema.type === 'array') return componentOf(schema.items as Json)
  return undefined
}

function propertiesOf (schema: Json): Set<string> {
  const resolved = resolve(schema)
  if (resolved.type === 'array') return propertiesOf(resolved.items as Json)
  if (Array.isArray(resolved.anyOf)) return new Set((resolved.anyOf as Json[]).flatMap((member) => [...propertiesOf(member)]))
  return new Set(Object.keys((resolved.properties ?? {}) as Json))
}

function jsonSchemaOf (content: unknown): Json | undefined {
  return ((content as Record<string, { schema?: Json }> | undefined)?.['application/json'])?.schema
}

/** Differences per `SdkModel ⇄ ourComponent`: missing = SDK fields we lack, extra = our fields the SDK lacks. */
type Differences = Record<string, { missing: string[], extra: string[] }>

function compareFields (differences: Differences, sdkModel: string, sdkFields: Set<string>, ourName: string, ours: Set<string>): void {
  const missing = [...sdkFields].filter((field) => !ours.has(field)).sort()
  const extra = [...ours].filter((field) => !sdkFields.has(field)).sort()
  if (missing.length > 0 || extra.length > 0) differences[`${sdkModel} ⇄ ${ourName}`] = { missing, extra }
}

/**
 * Every field difference, with why. "missing": Hydra's model has it, Warden never sends (response) or does not
 * document (request; unknown request fields are accepted and ignored). "extra": Warden's schema has it, the SDK model not.
 */
const KNOWN_DIFFERENCES: Record<string, { missing: string[], extra: string[], why: string }> = {
  'AcceptOAuth2ConsentRequest ⇄ acceptOAuth2ConsentRequest': {
    missing: [],
    extra: ['handled_at'],
    why: 'accepted and ignored (flows.wire.ts AcceptConsentWire) so a body carrying it is not rejected; the SDK model lacks it'
  },
  'IntrospectedOAuth2Token ⇄ introspectedOAuth2Token': {
    missing: ['username'],
    extra: [],
    why: 'Warden sessions have no username, so introspection never sends it (Hydra omits it when empty too)'
  },
  'JsonWebKey ⇄ jsonWebKey': {
    missing: [],
    extra: ['x5t', 'x5t#S256', 'x5u'],
    why: 'RFC 7517 members keys/jwk.ts keeps on stored keys; the SDK model only knows x5c'
  }
}

/** The models the compatibility promise rests on: SDK name → our component name. */
const MAIN_MODELS: Record<string, string> = {
  OAuth2Client: 'oAuth2Client',
  JsonWebKey: 'jsonWebKey',
  JsonWebKeySet: 'jsonWebKeySet',
  OAuth2LoginRequest: 'oAuth2LoginRequest',
  OAuth2ConsentRequest: 'oAuth2ConsentRequest',
  OAuth2LogoutRequest: 'oAuth2LogoutRequest',
  OAuth2ConsentSession: 'oAuth2ConsentSession',
  IntrospectedOAuth2Token: 'introspectedOAuth2Token',
  OAuth2RedirectTo: 'oAuth2RedirectTo',
  HealthStatus: 'healthStatus',
  Version: 'version',
  OidcConfiguration: 'oidcConfiguration',
  OidcUserInfo: 'oidcUserInfo',
  OAuth2TokenExchange: 'oAuth2TokenExchange',
  ErrorOAuth2: 'errorOAuth2'
}

describe('compatibility with @ory/hydra-client 26.2.0', () => {
  const models = sdkModels()
  const operations = sdkOperations()
  const ours = wardenOperations()

  test('the SDK typings were read', () => {
    assert.ok(models.size > 40 && operations.size > 40, `models ${models.size}, operations ${operations.size}`)
  })

  test('every operation not marked x-warden-extension exists in the SDK, and no extension reuses an SDK operationId', () => {
    for (const op of ours) assert.equal(operations.has(op.operationId), op.isWardenExtension !== true, op.operationId)
  })

  test('method, path, tag, query and form parameters match the SDK for every shared operation', async () => {
    for (const op of ours.filter((candidate) => operations.has(candidate.operationId))) {
      const sdkOp = operations.get(op.operationId) as SdkOperation
      const sent = await sdkRequest(op.operationId, sdkOp, models)
      assert.equal(op.method, sent.method, `${op.operationId}: method`)
      assert.equal(op.path, sent.path, `${op.operationId}: path`)
      assert.equal(op.tags[0]?.toLowerCase(), sdkOp.api.toLowerCase(), `${op.operationId}: tag names the SDK class`)
      const query = new Set((op.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name))
      assert.deepEqual(sent.query.filter((name) => !query.has(name)), [], `${op.operationId}: query parameters the SDK sends that we do not document`)
      if (sent.form !== undefined) {
        assert.equal(op.requestBody?.contentType, 'application/x-www-form-urlencoded', `${op.operationId}: form body`)
        const fields = propertiesOf(document.paths[op.path]?.[op.method]?.requestBody === undefined ? {} : jsonSchemaFromForm(op.path, op.method))
        assert.deepEqual(sent.form.filter((name) => !fields.has(name)), [], `${op.operationId}: form fields the SDK sends that we do not document`)
      }
    }
  })

  test('JSON field names of the main models and of every shared operation\'s bodies (differences are listed in KNOWN_DIFFERENCES)', async (t) => {
    const differences: Differences = {}
    for (const [sdkName, ourName] of Object.entries(MAIN_MODELS)) {
      const fields = models.get(sdkName)
      assert.ok(fields !== undefined, `SDK model ${sdkName}`)
      assert.ok(ourName in document.components.schemas, `component ${ourName}`)
      compareFields(differences, sdkName, fields, ourName, propertiesOf({ $ref: `#/components/schemas/${ourName}` }))
    }
    for (const op of ours.filter((candidate) => operations.has(candidate.operationId))) {
      const sdkOp = operations.get(op.operationId) as SdkOperation
      const item = document.paths[op.path]?.[op.method] as { requestBody?: { content?: unknown }, responses: Record<string, { content?: unknown }> }
      const sent = await sdkRequest(op.operationId, sdkOp, models)
      const ourRequest = jsonSchemaOf(item.requestBody?.content)
      if (sent.bodyType !== undefined && sent.form === undefined) {
        assert.ok(ourRequest !== undefined, `${op.operationId}: the SDK sends a ${sent.bodyType} body, we document none`)
        compareFields(differences, sent.bodyType, models.get(sent.bodyType) as Set<string>, componentOf(ourRequest) ?? `${op.operationId} request`, propertiesOf(ourRequest))
      }
      const success = Object.entries(item.responses).find(([status, response]) => /^2/.test(status) && jsonSchemaOf(response.content) !== undefined)
      const responseModel = modelName(sdkOp.responseType)
      if (success === undefined || !models.has(responseModel)) continue
      const ourResponse = jsonSchemaOf(success[1].content) as Json
      compareFields(differences, responseModel, models.get(responseModel) as Set<string>, componentOf(ourResponse) ?? `${op.operationId} response`, propertiesOf(ourResponse))
    }
    t.diagnostic(`differences from the SDK's models: ${JSON.stringify(differences, null, 1)}`)
    const expected = Object.fromEntries(Object.entries(KNOWN_DIFFERENCES).map(([key, { missing, extra }]) => [key, { missing, extra }]))
    assert.deepEqual(differences, expected)
  })
})

/** The form body schema of an operation (documented under application/x-www-form-urlencoded). */
function jsonSchemaFromForm (path: string, method: string): Json {
  const body = (document.paths[path]?.[method] as { requestBody: { content: Record<string, { schema: Json }> } }).requestBody
  return body.content['application/x-www-form-urlencoded']?.schema ?? {}
}
