// OpenID Connect UserInfo (OIDC Core §5.3, hydra-api.md §4.11): the ID-token claims of the grant behind an access token.
import type { OAuth2Client } from '../clients/client.js'
import { invalidToken, requestUnauthorized, serverError } from '../errors/catalogue.js'
import type { OAuth2Error } from '../errors/oauth2-error.js'
import { ID_TOKEN_SET } from '../keys/keys.service.js'
import { signJwt, type SigningKey } from '../keys/signing.js'
import type { Clock } from '../lib/clock.js'
import type { ActiveToken } from '../tokens/tokens.service.js'
import { idTokenClaims } from './id-token.js'

export interface UserinfoDeps {
  findActiveAccessToken: (token: string) => Promise<ActiveToken | undefined>
  findActiveRefreshToken: (token: string) => Promise<ActiveToken | undefined>
  getClient: (id: string) => Promise<OAuth2Client>
  signingKey: (set: string) => Promise<SigningKey>
  issuer: string
  clock: Clock
}

export type UserinfoResult = { kind: 'json', claims: Record<string, unknown> } | { kind: 'jwt', jwt: string }

// Claims that only make sense in an ID token (hydra-api.md §4.11).
const DROPPED = ['nonce', 'at_hash', 'c_hash', 'exp', 'sid', 'jti']

/** RFC 6750 §3: the challenge header every 401 from userinfo carries. */
export function bearerChallenge (error: OAuth2Error): OAuth2Error {
  const description = [error.description, error.hint].filter((part) => part !== undefined && part !== '').join(' ').replaceAll('"', "'")
  return error.withHeaders({ 'www-authenticate': `Bearer error="${error.error}",error_description="${description}"` })
}

export class UserinfoService {
  private readonly deps: UserinfoDeps

  constructor (deps: UserinfoDeps) {
    this.deps = deps
  }

  async userinfo (token: string | undefined): Promise<UserinfoResult> {
    if (token === undefined || token === '') {
      throw bearerChallenge(requestUnauthorized('Check that you provided valid credentials in the right format.'))
    }
    const found = await this.deps.findActiveAccessToken(token)
    if (found === undefined) {
      if (await this.deps.findActiveRefreshToken(token) !== undefined) {
        throw bearerChallenge(invalidToken('Only access tokens are allowed in the authorization header.'))
      }
      throw bearerChallenge(requestUnauthorized('The access token is expired, revoked, malformed or otherwise invalid.'))
    }
    const { record, session } = found
    const client = await this.deps.getClient(record.clientId)
    const nowMs = this.deps.clock.now().getTime()
    const claims = idTokenClaims({
      issuer: this.deps.issuer,
      clientId: client.id,
      session: { ...session, clientSubject: session.clientSubject === '' ? session.subject : session.clientSubject },
      issuedAtMs: nowMs,
      lifespanMs: 0
    }, 'RS256')
    for (const key of DROPPED) delete claims[key]
    const alg = client.userinfoSignedResponseAlg
    if (alg === '' || alg === 'none') return { kind: 'json', claims }
    if (alg !== 'RS256') throw serverError(`Unsupported userinfo_signed_response_alg '${alg}'.`)
    const key = await this.deps.signingKey(ID_TOKEN_SET)
    return { kind: 'jwt', jwt: signJwt(key, { ...claims, jti: crypto.randomUUID(), iat: Math.floor(nowMs / 1000) }) }
  }
}
