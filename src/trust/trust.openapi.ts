// OpenAPI records of the JWT-bearer trust admin API (trust.admin-routes.ts).
import { Type } from '@sinclair/typebox'
import { operation, pathParam, queryParam, type OpenApiOperation } from '../http/openapi.js'
import { TrustOAuth2JwtGrantIssuerWire, TrustedOAuth2JwtGrantIssuerWire } from './trust.wire.js'

const id = pathParam('id', 'The id of the trust relationship (a UUID).')
const trusted = { description: 'trustedOAuth2JwtGrantIssuer', schema: TrustedOAuth2JwtGrantIssuerWire }

export const trustOperations: readonly OpenApiOperation[] = [
  operation({
    operationId: 'trustOAuth2JwtGrantIssuer',
    method: 'post',
    path: '/admin/trust/grants/jwt-bearer/issuers',
    listeners: ['admin'],
    summary: 'Trust OAuth2 JWT Bearer Grant Type Issuer',
    description: 'Lets `issuer` obtain access tokens for `subject` (or any subject) with RFC 7523 assertions signed by `jwk`. ' +
      'The public key is stored in the JSON Web Key set named after the issuer. 409 when the issuer, subject and key id are trusted already.',
    tags: ['oAuth2'],
    requestBody: { contentType: 'application/json', schema: TrustOAuth2JwtGrantIssuerWire },
    responses: { 201: { ...trusted, headers: { location: '/trust/grants/jwt-bearer/issuers/<id> (without /admin, as Hydra).' } } }
  }),
  operation({
    operationId: 'listTrustedOAuth2JwtGrantIssuers',
    method: 'get',
    path: '/admin/trust/grants/jwt-bearer/issuers',
    listeners: ['admin'],
    summary: 'List Trusted OAuth2 JWT Bearer Grant Type Issuers',
    description: 'Keyset pagination: follow the `Link` header (rel="next"/"first").',
    tags: ['oAuth2'],
    parameters: [
      queryParam('issuer', 'Only relationships of this issuer.'),
      queryParam('page_size', 'Items per page (default 100, at most 500).'),
      queryParam('page_token', 'Next page token from the Link header.')
    ],
    responses: { 200: { description: 'trustedOAuth2JwtGrantIssuers', schema: Type.Array(TrustedOAuth2JwtGrantIssuerWire), headers: { link: 'RFC 8288 pagination links.' } } }
  }),
  operation({
    operationId: 'getTrustedOAuth2JwtGrantIssuer',
    method: 'get',
    path: '/admin/trust/grants/jwt-bearer/issuers/{id}',
    listeners: ['admin'],
    summary: 'Get Trusted OAuth2 JWT Bearer Grant Type Issuer',
    tags: ['oAuth2'],
    parameters: [id],
    responses: { 200: trusted }
  }),
  operation({
    operationId: 'deleteTrustedOAuth2JwtGrantIssuer',
    method: 'delete',
    path: '/admin/trust/grants/jwt-bearer/issuers/{id}',
    listeners: ['admin'],
    summary: 'Delete Trusted OAuth2 JWT Bearer Grant Type Issuer',
    description: 'Also deletes the stored public key, and with it every other relationship using the same issuer and key id (as Hydra).',
    tags: ['oAuth2'],
    parameters: [id],
    responses: { 204: { description: 'Deleted.' } }
  })
]
