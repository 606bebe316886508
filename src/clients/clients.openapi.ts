// OpenAPI records of the client admin API and dynamic client registration (clients.admin-routes.ts, registration.public-routes.ts).
import { Type } from '@sinclair/typebox'
import { operation, pathParam, queryParam, type OpenApiOperation, type OperationResponse } from '../http/openapi.js'
import { JsonPatchWire, LifespansWire, OAuth2ClientWire } from './client.wire.js'

const clientId = pathParam('id', 'The id of the OAuth 2.0 Client.')
const client = (description: string): OperationResponse => ({ description, schema: OAuth2ClientWire })
const json = { contentType: 'application/json' }
const dcrToken = { name: 'Authorization', in: 'header', required: true, description: 'Bearer <registration_access_token> (RFC 7592); the access_token query parameter is also read.' } as const

export const clientsOperations: readonly OpenApiOperation[] = [
  operation({
    operationId: 'listOAuth2Clients',
    method: 'get',
    path: '/admin/clients',
    listeners: ['admin'],
    summary: 'List OAuth 2.0 Clients',
    description: 'Keyset pagination: follow the `Link` header (rel="next"/"first").',
    tags: ['oAuth2'],
    parameters: [
      queryParam('page_size', 'Items per page (default 250, at most 500).'),
      queryParam('page_token', 'Next page token from the Link header.'),
      queryParam('client_name', 'Only clients with this exact name.'),
      queryParam('owner', 'Only clients with this owner.')
    ],
    responses: { 200: { description: 'The clients.', schema: Type.Array(OAuth2ClientWire), headers: { link: 'RFC 8288 pagination links.' } } }
  }),
  operation({
    operationId: 'createOAuth2Client',
    method: 'post',
    path: '/admin/clients',
    listeners: ['admin'],
    summary: 'Create OAuth 2.0 Client',
    description: 'Without `client_secret` a secret is generated; the response is the only time it is shown.',
    tags: ['oAuth2'],
    requestBody: { ...json, schema: OAuth2ClientWire },
    responses: { 201: { ...client('The created client.'), headers: { location: 'The client URL under /admin/clients.' } } }
  }),
  operation({
    operationId: 'getOAuth2Client',
    method: 'get',
    path: '/admin/clients/{id}',
    listeners: ['admin'],
    summary: 'Get an OAuth 2.0 Client',
    tags: ['oAuth2'],
    parameters: [clientId],
    responses: { 200: client('The client (without its secret).') }
  }),
  operation({
    operationId: 'setOAuth2Client',
    method: 'put',
    path: '/admin/clients/{id}',
    listeners: ['admin'],
    summary: 'Set OAuth 2.0 Client',
    description: 'Replaces the client; an absent `client_secret` keeps the current one.',
    tags: ['oAuth2'],
    parameters: [clientId],
    requestBody: { ...json, schema: OAuth2ClientWire },
    responses: { 200: client('The replaced client.') }
  }),
  operation({
    operationId: 'patchOAuth2Client',
    method: 'patch',
    path: '/admin/clients/{id}',
    listeners: ['admin'],
    summary: 'Patch OAuth 2.0 Client',
    tags: ['oAuth2'],
    parameters: [clientId],
    requestBody: { ...json, schema: JsonPatchWire, description: 'RFC 6902 JSON Patch document.' },
    responses: { 200: client('The patched client.') }
  }),
  operation({
    operationId: 'deleteOAuth2Client',
    method: 'delete',
    path: '/admin/clients/{id}',
    listeners: ['admin'],
    summary: 'Delete OAuth 2.0 Client',
    tags: ['oAuth2'],
    parameters: [clientId],
    responses: { 204: { description: 'Deleted.' } }
  }),
  operation({
    operationId: 'setOAuth2ClientLifespans',
    method: 'put',
    path: '/admin/clients/{id}/lifespans',
    listeners: ['admin'],
    summary: 'Set OAuth2 Client Token Lifespans',
    tags: ['oAuth2'],
    parameters: [clientId],
    requestBody: { ...json, schema: LifespansWire },
    responses: { 200: client('The client with its new lifespans.') }
  }),
  operation({
    operationId: 'rotateOAuth2ClientSecret',
    method: 'post',
    path: '/admin/clients/{id}/secrets/rotate',
    listeners: ['admin'],
    summary: 'Rotate the client secret',
    description: 'Generates a new secret; the previous ones keep working until deleteRotatedOAuth2ClientSecrets.',
    tags: ['oAuth2'],
    isWardenExtension: true,
    parameters: [clientId],
    responses: { 200: client('The client with its new secret (shown once).') }
  }),
  operation({
    operationId: 'deleteRotatedOAuth2ClientSecrets',
    method: 'delete',
    path: '/admin/clients/{id}/secrets/rotate',
    listeners: ['admin'],
    summary: 'Forget rotated client secrets',
    tags: ['oAuth2'],
    isWardenExtension: true,
    parameters: [clientId],
    responses: { 200: client('The client.') }
  }),
  operation({
    operationId: 'createOidcDynamicClient',
    method: 'post',
    path: '/oauth2/register',
    listeners: ['public'],
    summary: 'Register OAuth2 Client using OpenID Dynamic Client Registration',
    description: 'Needs oidc.dynamic_client_registration.enabled (404 otherwise). The response carries the registration access token.',
    tags: ['oidc'],
    requestBody: { ...json, schema: OAuth2ClientWire },
    responses: { 201: client('The registered client.') }
  }),
  operation({
    operationId: 'getOidcDynamicClient',
    method: 'get',
    path: '/oauth2/register/{id}',
    listeners: ['public'],
    summary: 'Get OAuth2 Client using OpenID Dynamic Client Registration',
    tags: ['oidc'],
    parameters: [clientId, dcrToken],
    responses: { 200: client('The client.') }
  }),
  operation({
    operationId: 'setOidcDynamicClient',
    method: 'put',
    path: '/oauth2/register/{id}',
    listeners: ['public'],
    summary: 'Set OAuth2 Client using OpenID Dynamic Client Registration',
    tags: ['oidc'],
    parameters: [clientId, dcrToken],
    requestBody: { ...json, schema: OAuth2ClientWire },
    responses: { 200: client('The replaced client, with a new registration access token.') }
  }),
  operation({
    operationId: 'deleteOidcDynamicClient',
    method: 'delete',
    path: '/oauth2/register/{id}',
    listeners: ['public'],
    summary: 'Delete OAuth 2.0 Client using the OpenID Dynamic Client Registration Management Protocol',
    tags: ['oidc'],
    parameters: [clientId, dcrToken],
    responses: { 204: { description: 'Deleted.' } }
  })
]
