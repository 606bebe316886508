// Assembles Warden's OpenAPI 3.1 document from every domain's operation records (served and checked in as docs/openapi.json).
import { clientsOperations } from '../clients/clients.openapi.js'
import { flowsOperations } from '../flows/flows.openapi.js'
import { healthOperations } from '../http/health.openapi.js'
import { buildOpenApiDocument, type OpenApiOperation } from '../http/openapi.js'
import { keysOperations } from '../keys/keys.openapi.js'
import { wardenVersion } from '../lib/package-version.js'
import { oidcOperations } from '../oidc/oidc.openapi.js'
import { tokensOperations } from '../tokens/tokens.openapi.js'
import { trustOperations } from '../trust/trust.openapi.js'

/** Every operation Warden serves, in the document's order. */
export function wardenOperations (): readonly OpenApiOperation[] {
  return [...healthOperations, ...clientsOperations, ...keysOperations, ...flowsOperations, ...tokensOperations, ...trustOperations, ...oidcOperations]
}

const DESCRIPTION = [
  'Warden\'s HTTP API, compatible with Ory Hydra v2: operationIds, paths and JSON field names are Hydra\'s, so',
  '@ory/hydra-client works unchanged. Operations marked x-warden-extension are not part of Hydra\'s API.',
  'x-warden-listeners names the listener serving each operation: public (default port 4444) or admin (default port 4445).',
  'On the admin listener every path also answers without its /admin prefix.'
].join(' ')

let cached: Record<string, unknown> | undefined

export function wardenOpenApiDocument (): Record<string, unknown> {
  cached ??= buildOpenApiDocument(wardenOperations(), { title: 'Warden', version: wardenVersion(), description: DESCRIPTION })
  return cached
}

/** The bytes of docs/openapi.json. */
export function renderOpenApiDocument (): string {
  return `${JSON.stringify(wardenOpenApiDocument(), null, 2)}\n`
}
