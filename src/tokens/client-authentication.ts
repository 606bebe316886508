// Client authentication at the token, revocation and device endpoints (hydra-api.md §4.2, RFC 6749 §2.3, RFC 7523 §2.2).
import { createHash } from 'node:crypto'
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import { effectiveAuthMethod, effectiveAuthSigningAlg, type OAuth2Client } from '../clients/client.js'
import { invalidClient, invalidRequest } from '../errors/catalogue.js'
import { isOAuth2Error } from '../errors/oauth2-error.js'
import type { Clock } from '../lib/clock.js'
import type { JwksFetcher } from './client-jwks.js'
import type { TokensStore } from './tokens.store.js'

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const ASSERTION_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']

export interface ClientAuthenticationDeps {
  /** Loads a client; rejects when it does not exist. */
  getClient: (id: string) => Promise<OAuth2Client>
  verifySecret: (client: OAuth2Client, presented: string) => Promise<boolean>
  store: Pick<TokensStore, 'useJti'>
  jwks: JwksFetcher
  clock: Clock
  /** URLs an assertion's `aud` may name: the token endpoint under the public URL, the issuer, and the configured one. */
  tokenUrls: readonly string[]
}

/** The credential parts of a request: the Authorization header and the form. */
export interface PresentedCredentials {
  authorization: string | undefined
  form: Readonly<Record<string, string>>
}

// RFC 6749 §2.3.1: the id and the secret are form-urlencoded before Basic encoding.
function formDecode (text: string): string {
  try { return decodeURIComponent(text.replaceAll('+', ' ')) } catch { throw invalidRequest('The client credentials in the HTTP authorization header are not properly URL-encoded.') }
}

function parseBasic (header: string): { id: string, secret: string } | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(header)
  if (match === null) return undefined
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) throw invalidRequest('The basic authorization header is malformed.')
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) }
}

function wrongMethod (client: OAuth2Client, used: string): never {
  const expected = effectiveAuthMethod(client)
  throw invalidClient(`The OAuth 2.0 Client supports client authentication method '${expected}', but method '${used}' was requested. You must configure the OAuth 2.0 client's 'token_endpoint_auth_method' value to accept '${used}'.`)
}

export class ClientAuthenticator {
  private readonly deps: ClientAuthenticationDeps

  constructor (deps: ClientAuthenticationDeps) {
    this.deps = deps
  }

  private async load (id: string): Promise<OAuth2Client> {
    try {
      return await this.deps.getClient(id)
    } catch (error) {
      if (isOAuth2Error(error) && error.statusCode === 404) throw invalidClient('The requested OAuth 2.0 Client does not exist.')
      throw error
    }
  }

  /** The authenticated client, or an invalid_request / invalid_client error. */
  async authenticate (presented: PresentedCredentials): Promise<OAuth2Client> {
    const { form } = presented
    const assertionType = form['client_assertion_type']
    if (assertionType !== undefined || form['client_assertion'] !== undefined) return await this.authenticateAssertion(form)

    const basic = presented.authorization === undefined ? undefined : parseBasic(presented.authorization)
    const formId = form['client_id']
    if (basic !== undefined && formId !== undefined && formId !== basic.id) {
      throw invalidRequest('The client_id in the form does not match the client authenticated by the Authorization header.')
    }
    const id = basic?.id ?? formId ?? ''
    if (id === '') throw invalidRequest('Client credentials missing or malformed in both HTTP Authorization header and HTTP POST body.')
    const client = await this.load(id)
    const method = effectiveAuthMethod(client)

    const used = basic !== undefined ? 'client_secret_basic' : form['client_secret'] !== undefined ? 'client_secret_post' : 'none'
    if (method === 'none') {
      if (used !== 'none') wrongMethod(client, used)
      return client
    }
    if (used !== method) wrongMethod(client, used)
    const secret = basic?.secret ?? form['client_secret'] ?? ''
    if (client.secretExpiresAt > 0 && client.secretExpiresAt * 1000 < this.deps.clock.now().getTime()) {
      throw invalidClient('The OAuth 2.0 Client secret has expired.')
    }
    if (secret === '' || !await this.deps.verifySecret(client, secret)) {
      throw invalidClient('The provided client secret did not match.')
    }
    return client
  }

  // RFC 7523 §3 / OIDC Core §9 private_key_jwt.
  private async authenticateAssertion (form: Readonly<Record<string, string>>): Promise<OAuth2Client> {
    if (form['client_assertion_type'] !== JWT_BEARER_ASSERTION_TYPE) {
      throw invalidRequest(`Unknown client_assertion_type; only '${JWT_BEARER_ASSERTION_TYPE}' is supported.`)
    }
    const assertion = form['client_assertion'] ?? ''
    let header: { alg?: string, kid?: string }
    let unverified: { iss?: unknown, sub?: unknown }
    try {
      header = decodeProtectedHeader(assertion)
      unverified = decodeJwt(assertion)
    } catch {
      throw invalidClient('Unable to decode the client_assertion JSON Web Token.')
    }
    const id = typeof unverified.sub === 'string' ? unverified.sub : ''
    if (id === '' || unverified.iss !== id) throw invalidClient("Claims 'iss' and 'sub' of the client_assertion must both be the client id.")
    if (form['client_id'] !== undefined && form['client_id'] !== id) throw invalidClient('The client_id does not match the client_assertion subject.')
    const client = await this.load(id)
    if (effectiveAuthMethod(client) !== 'private_key_jwt') wrongMethod(client, 'private_key_jwt')
    const alg = effectiveAuthSigningAlg(client)
    if (header.alg !== alg || !ASSERTION_ALGS.includes(alg)) {
      throw invalidClient(`The client_assertion must be signed with '${alg}' (token_endpoint_auth_signing_alg), not '${header.alg ?? ''}'.`)
    }
    const keys = await this.clientKeys(client, header.kid)
    let payload: { exp?: number, jti?: string }
    try {
      ({ payload } = await jwtVerify(assertion, createLocalJWKSet(keys as unknown as JSONWebKeySet), {
        algorithms: [alg],
        issuer: id,
        subject: id,
        audience: [...this.deps.tokenUrls],
        requiredClaims: ['exp', 'jti'],
        currentDate: this.deps.clock.now()
      }))
    } catch (error) {
      throw invalidClient('Unable to verify the integrity of the client_assertion.').withDebug(error instanceof Error ? error.message : String(error))
    }
    const jtiHash = createHash('sha256').update(String(payload.jti)).digest('hex')
    const isFresh = await this.deps.store.useJti(jtiHash, new Date((payload.exp ?? 0) * 1000), this.deps.clock.now())
    if (!isFresh) throw invalidClient('The jti of the client_assertion was already used.')
    return client
  }

  private async clientKeys (client: OAuth2Client, kid: string | undefined): Promise<{ keys: Array<Record<string, unknown>> }> {
    if (client.jwks !== null && client.jwks.keys.length > 0) return client.jwks
    if (client.jwksUri === '') throw invalidClient('The OAuth 2.0 Client has no JSON Web Keys (jwks or jwks_uri) to verify the client_assertion.')
    try {
      return await this.deps.jwks.get(client.jwksUri, kid)
    } catch (error) {
      throw invalidClient('Unable to fetch the JSON Web Keys of the OAuth 2.0 Client from its jwks_uri.').withDebug(error instanceof Error ? error.message : String(error))
    }
  }
}
