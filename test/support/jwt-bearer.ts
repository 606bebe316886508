// Test helpers for RFC 7523: an issuer with its own key pair, trusted through Hydra's SDK, that signs assertions.
import { randomUUID } from 'node:crypto'
import type { JsonWebKey as SdkJsonWebKey, OAuth2Api, TrustedOAuth2JwtGrantIssuer } from '@ory/hydra-client'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose'

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

export interface TestIssuer {
  issuer: string
  kid: string
  /** The public JWK as sent to trustOAuth2JwtGrantIssuer. */
  publicJwk: SdkJsonWebKey
  privateKey: CryptoKey
}

export async function newIssuer (issuer = `https://idp-${randomUUID()}.example`, kid = randomUUID()): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
  const publicJwk = { ...await exportJWK(publicKey), kid, alg: 'ES256', use: 'sig' } as SdkJsonWebKey
  return { issuer, kid, publicJwk, privateKey }
}

/** Trusts `issuer` for `subject` (or any subject) through the admin API; expires in a day unless told. */
export async function trustIssuer (admin: OAuth2Api, issuer: TestIssuer, options: { subject?: string, allowAnySubject?: boolean, scope?: string[], expiresAt?: Date } = {}): Promise<TrustedOAuth2JwtGrantIssuer> {
  const response = await admin.trustOAuth2JwtGrantIssuer({
    trustOAuth2JwtGrantIssuer: {
      issuer: issuer.issuer,
      ...(options.allowAnySubject === true ? { allow_any_subject: true } : { subject: options.subject ?? 'alice@example.com' }),
      scope: options.scope ?? ['read', 'write.*'],
      jwk: issuer.publicJwk,
      expires_at: (options.expiresAt ?? new Date(Date.now() + 86_400_000)).toISOString()
    }
  })
  return response.data
}

/**
 * An assertion from `issuer` (kid header unless `withKid` is false): iss, sub alice@example.com, the given aud,
 * iat now, exp in five minutes and a fresh jti, each overridable (undefined removes a claim).
 */
export async function signAssertion (issuer: TestIssuer, aud: string | string[], claims: JWTPayload = {}, options: { withKid?: boolean, key?: CryptoKey } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const payload: JWTPayload = { iss: issuer.issuer, sub: 'alice@example.com', aud, iat: now, exp: now + 300, jti: randomUUID(), ...claims }
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name]
  return await new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', ...(options.withKid === false ? {} : { kid: issuer.kid }) })
    .sign(options.key ?? issuer.privateKey)
}
