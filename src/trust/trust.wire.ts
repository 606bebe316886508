// Wire format of the trust admin API (Hydra's trustOAuth2JwtGrantIssuer / trustedOAuth2JwtGrantIssuer) and its mappers.
import { Type } from '@sinclair/typebox'
import { OAuth2Error } from '../errors/oauth2-error.js'
import { JsonWebKeySchema } from '../keys/keys.openapi.js'
import type { TrustGrant } from './trust.store.js'

export const TrustOAuth2JwtGrantIssuerWire = Type.Object({
  issuer: Type.String({ description: 'The issuer of the assertions (their `iss` claim).', examples: ['https://jwt-idp.example.com'] }),
  subject: Type.Optional(Type.String({ description: 'The subject the issuer may assert (the `sub` claim); exclusive with allow_any_subject.', examples: ['mike@example.com'] })),
  allow_any_subject: Type.Optional(Type.Boolean({ description: 'The issuer may assert any subject.' })),
  scope: Type.Array(Type.String(), { description: 'Scopes a token obtained with such an assertion may carry.', examples: [['openid', 'offline']] }),
  jwk: JsonWebKeySchema,
  expires_at: Type.String({ format: 'date-time', description: 'When the relationship ends; later assertions are refused.' })
}, { $id: 'trustOAuth2JwtGrantIssuer', description: 'Trust OAuth2 JWT Bearer Grant Type Issuer Request Body' })

export const TrustedOAuth2JwtGrantJsonWebKeyWire = Type.Object({
  set: Type.String({ description: 'The JSON Web Key set holding the public key: always the issuer.' }),
  kid: Type.String({ description: 'The key id (the `kid` header of the assertions).' })
}, { $id: 'trustedOAuth2JwtGrantJsonWebKey' })

export const TrustedOAuth2JwtGrantIssuerWire = Type.Object({
  id: Type.String({ format: 'uuid' }),
  issuer: Type.String(),
  subject: Type.String({ description: 'Empty when allow_any_subject is true.' }),
  allow_any_subject: Type.Boolean(),
  scope: Type.Array(Type.String()),
  public_key: TrustedOAuth2JwtGrantJsonWebKeyWire,
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time' })
}, { $id: 'trustedOAuth2JwtGrantIssuer', description: 'OAuth2 JWT Bearer Grant Type Issuer Trust Relationship' })

/** The create body, decoded; `undefined` marks what the body left out. */
export interface TrustRequest {
  issuer: string
  subject: string
  allowAnySubject: boolean
  scope: string[]
  jwk: Record<string, unknown> | undefined
  expiresAt: Date | undefined
}

// Hydra answers a body its JSON decoder rejects with {"error":"error","error_description":<decoder message>}.
function undecodable (message: string): OAuth2Error {
  return new OAuth2Error({ error: 'error', statusCode: 400, description: `Unable to decode the request body: ${message}` })
}

function optionalString (body: Record<string, unknown>, name: string): string {
  const value = body[name]
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw undecodable(`field "${name}" must be a string.`)
  return value
}

// RFC 3339 with a time zone, as Go's time.Time accepts it.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

function readExpiresAt (value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined
  const date = typeof value === 'string' && RFC3339.test(value) ? new Date(value) : undefined
  if (date === undefined || Number.isNaN(date.getTime())) throw undecodable('field "expires_at" must be an RFC 3339 date-time.')
  return date
}

/** Decodes the trustOAuth2JwtGrantIssuer body: wrong JSON types fail here, missing fields are left to the service. */
export function trustRequestFromWire (body: unknown): TrustRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw undecodable('expected a JSON object.')
  const fields = body as Record<string, unknown>
  const any = fields['allow_any_subject']
  if (any !== undefined && any !== null && typeof any !== 'boolean') throw undecodable('field "allow_any_subject" must be a boolean.')
  const scope = fields['scope']
  if (scope !== undefined && scope !== null && (!Array.isArray(scope) || scope.some((item) => typeof item !== 'string'))) {
    throw undecodable('field "scope" must be an array of strings.')
  }
  const jwk = fields['jwk']
  if (jwk !== undefined && jwk !== null && (typeof jwk !== 'object' || Array.isArray(jwk))) throw undecodable('field "jwk" must be a JSON Web Key object.')
  return {
    issuer: optionalString(fields, 'issuer'),
    subject: optionalString(fields, 'subject'),
    allowAnySubject: any === true,
    scope: Array.isArray(scope) ? [...scope as string[]] : [],
    jwk: jwk === undefined || jwk === null ? undefined : jwk as Record<string, unknown>,
    expiresAt: readExpiresAt(fields['expires_at'])
  }
}

const rfc3339 = (date: Date): string => date.toISOString().replace(/\.000Z$/, 'Z')

export function trustToWire (grant: TrustGrant): typeof TrustedOAuth2JwtGrantIssuerWire.static {
  return {
    id: grant.id,
    issuer: grant.issuer,
    subject: grant.subject,
    allow_any_subject: grant.allowAnySubject,
    scope: [...grant.scope],
    public_key: { set: grant.keySet, kid: grant.keyId },
    created_at: rfc3339(grant.createdAt),
    expires_at: rfc3339(grant.expiresAt)
  }
}
