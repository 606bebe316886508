// PKCE (RFC 7636, hydra-api.md §4.15): only S256; enforcement flags; verifier check at the token endpoint.
import { createHash, timingSafeEqual } from 'node:crypto'
import { isPublicClient, type OAuth2Client } from '../clients/client.js'
import { invalidGrant, invalidRequest } from '../errors/catalogue.js'

export interface PkcePolicy {
  isPkceEnforced: boolean
  isPkceEnforcedForPublicClients: boolean
}

/**
 * Authorization-time check of code_challenge / code_challenge_method. The flow engine calls it while validating
 * /oauth2/auth (so the error reaches the client before login); the code responder repeats it.
 */
export function assertPkceRequest (client: OAuth2Client, challenge: string | undefined, method: string | undefined, policy: PkcePolicy): void {
  if (challenge === undefined || challenge === '') {
    if (policy.isPkceEnforced) throw invalidRequest('Clients must include a code_challenge when performing the authorize code flow, but it is missing.')
    if (policy.isPkceEnforcedForPublicClients && isPublicClient(client)) {
      throw invalidRequest('This client must include a code_challenge when performing the authorize code flow, but it is missing.')
    }
    return
  }
  if (method !== 'S256') throw invalidRequest('Clients must use code_challenge_method=S256, plain is not allowed.')
  if (!/^[A-Za-z0-9_-]{43,128}$/.test(challenge)) throw invalidRequest('The code_challenge is malformed.')
}

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/

/** Token-time check: the verifier must hash to the stored challenge (S256). */
export function assertPkceVerifier (storedChallenge: string, verifier: string | undefined): void {
  if (storedChallenge === '') {
    if (verifier !== undefined && verifier !== '') throw invalidGrant('The PKCE code_verifier was sent, but the authorization request had no code_challenge.')
    return
  }
  if (verifier === undefined || verifier === '') throw invalidGrant('The PKCE code_verifier is missing.')
  if (!VERIFIER.test(verifier)) throw invalidGrant('The PKCE code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].')
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'))
  const expected = Buffer.from(storedChallenge)
  if (computed.length !== expected.length || !timingSafeEqual(computed, expected)) {
    throw invalidGrant('The PKCE code challenge did not match the code verifier.')
  }
}
