// Decodes id_token_hint (authorize and logout): signature checked against the ID-token key set, expiry ignored.
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose'
import { invalidRequest } from '../errors/catalogue.js'

export type IdTokenHintDecoder = (token: string) => Promise<Record<string, unknown>>

/** `publicKeys` lists the ID-token set's public keys (KeysService.publicKeys('hydra.openid.id-token')). */
export function idTokenHintDecoder (publicKeys: () => Promise<readonly object[]>): IdTokenHintDecoder {
  return async (token) => {
    let payload: Uint8Array
    try {
      const keys = createLocalJWKSet({ keys: [...await publicKeys()] } as unknown as JSONWebKeySet)
      // compactVerify checks the signature only: expired hints are accepted, as OIDC Core §3.1.2.1 allows.
      payload = (await compactVerify(token, keys)).payload
    } catch {
      throw invalidRequest('The id_token_hint could not be verified: it is malformed or was not signed by this server.')
    }
    try {
      const claims = JSON.parse(Buffer.from(payload).toString('utf8')) as unknown
      if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) return claims as Record<string, unknown>
    } catch { /* fall through */ }
    throw invalidRequest('The id_token_hint payload is not a JSON object.')
  }
}

/** The `aud` claim as a list (it may be a string or an array). */
export function audiencesOf (claims: Readonly<Record<string, unknown>>): string[] {
  const aud = claims.aud
  if (typeof aud === 'string') return [aud]
  return Array.isArray(aud) ? aud.filter((entry): entry is string => typeof entry === 'string') : []
}
