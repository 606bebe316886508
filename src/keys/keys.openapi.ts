// OpenAPI records of the JSON Web Key admin API and the published key set (keys.admin-routes.ts, jwks.public-routes.ts).
import { Type } from '@sinclair/typebox'
import { operation, pathParam, type OpenApiOperation } from '../http/openapi.js'

const member = (description: string) => Type.Optional(Type.String({ description }))

/** RFC 7517 members Warden reads and writes (keys/jwk.ts); private members only ever appear on the admin API. */
export const JsonWebKeySchema = Type.Object({
  use: member('"sig" or "enc".'),
  kty: Type.String({ description: 'RSA, EC, OKP or oct.' }),
  kid: Type.String(),
  crv: member('Curve of EC and OKP keys.'),
  alg: member('Algorithm, e.g. RS256.'),
  k: member('Symmetric key (private).'),
  x: member('EC/OKP public coordinate.'),
  y: member('EC public coordinate.'),
  n: member('RSA modulus.'),
  e: member('RSA exponent.'),
  d: member('Private exponent or key (private).'),
  p: member('RSA prime (private).'),
  q: member('RSA prime (private).'),
  dp: member('RSA CRT exponent (private).'),
  dq: member('RSA CRT exponent (private).'),
  qi: member('RSA CRT coefficient (private).'),
  x5c: Type.Optional(Type.Array(Type.String(), { description: 'X.509 certificate chain.' })),
  x5u: member('X.509 URL.'),
  x5t: member('X.509 SHA-1 thumbprint.'),
  'x5t#S256': member('X.509 SHA-256 thumbprint.')
}, { $id: 'jsonWebKey', additionalProperties: true })

export const JsonWebKeySetSchema = Type.Object({
  keys: Type.Array(JsonWebKeySchema)
}, { $id: 'jsonWebKeySet' })

export const CreateJsonWebKeySetSchema = Type.Object({
  alg: Type.String({ description: 'RS256, RS512, ES256, ES512, EdDSA, HS256 or HS512.' }),
  use: Type.Optional(Type.String({ description: '"sig" (default) or "enc".' })),
  kid: Type.Optional(Type.String({ description: 'Generated when absent.' }))
}, { $id: 'createJsonWebKeySet' })

const set = pathParam('set', 'The JSON Web Key Set ID.')
const kid = pathParam('kid', 'The JSON Web Key ID (kid).')
const json = 'application/json'

export const keysOperations: readonly OpenApiOperation[] = [
  operation({
    operationId: 'createJsonWebKeySet',
    method: 'post',
    path: '/admin/keys/{set}',
    listeners: ['admin'],
    summary: 'Create JSON Web Key',
    description: 'Generates a key and adds it to the set (creating the set).',
    tags: ['jwk'],
    parameters: [set],
    requestBody: { contentType: json, schema: CreateJsonWebKeySetSchema },
    responses: { 201: { description: 'The generated key, as a set.', schema: JsonWebKeySetSchema, headers: { location: '<issuer>/keys/<set>' } } }
  }),
  operation({
    operationId: 'getJsonWebKeySet',
    method: 'get',
    path: '/admin/keys/{set}',
    listeners: ['admin'],
    summary: 'Retrieve a JSON Web Key Set',
    tags: ['jwk'],
    parameters: [set],
    responses: { 200: { description: 'The set.', schema: JsonWebKeySetSchema } }
  }),
  operation({
    operationId: 'setJsonWebKeySet',
    method: 'put',
    path: '/admin/keys/{set}',
    listeners: ['admin'],
    summary: 'Update a JSON Web Key Set',
    tags: ['jwk'],
    parameters: [set],
    requestBody: { contentType: json, schema: JsonWebKeySetSchema },
    responses: { 200: { description: 'The stored set.', schema: JsonWebKeySetSchema } }
  }),
  operation({
    operationId: 'deleteJsonWebKeySet',
    method: 'delete',
    path: '/admin/keys/{set}',
    listeners: ['admin'],
    summary: 'Delete JSON Web Key Set',
    tags: ['jwk'],
    parameters: [set],
    responses: { 204: { description: 'Deleted.' } }
  }),
  operation({
    operationId: 'getJsonWebKey',
    method: 'get',
    path: '/admin/keys/{set}/{kid}',
    listeners: ['admin'],
    summary: 'Get JSON Web Key',
    tags: ['jwk'],
    parameters: [set, kid],
    responses: { 200: { description: 'The key, as a set.', schema: JsonWebKeySetSchema } }
  }),
  operation({
    operationId: 'setJsonWebKey',
    method: 'put',
    path: '/admin/keys/{set}/{kid}',
    listeners: ['admin'],
    summary: 'Set JSON Web Key',
    tags: ['jwk'],
    parameters: [set, kid],
    requestBody: { contentType: json, schema: JsonWebKeySchema },
    responses: { 200: { description: 'The stored key.', schema: JsonWebKeySchema } }
  }),
  operation({
    operationId: 'deleteJsonWebKey',
    method: 'delete',
    path: '/admin/keys/{set}/{kid}',
    listeners: ['admin'],
    summary: 'Delete JSON Web Key',
    tags: ['jwk'],
    parameters: [set, kid],
    responses: { 204: { description: 'Deleted.' } }
  }),
  operation({
    operationId: 'discoverJsonWebKeys',
    method: 'get',
    path: '/.well-known/jwks.json',
    listeners: ['public'],
    summary: 'Discover Well-Known JSON Web Keys',
    description: 'Public keys of the sets in webfinger.jwks.broadcast_keys. Answers 304 to a matching If-None-Match.',
    tags: ['wellknown'],
    responses: { 200: { description: 'The public keys.', schema: JsonWebKeySetSchema } }
  })
]
