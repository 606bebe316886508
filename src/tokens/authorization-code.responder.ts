// AuthorizationResponder for response_type=code: stores the code with everything the token endpoint needs.
import { insufficientEntropy, unsupportedResponseType } from '../errors/catalogue.js'
import type { AuthorizationRequest, AuthorizationResponder, GrantedSession } from '../flows/authorization-handover.js'
import type { OAuth2Client } from '../clients/client.js'
import type { Clock } from '../lib/clock.js'
import { assertPkceRequest } from './pkce.js'
import type { TokenMinter } from './token-minter.js'
import type { TokensConfig } from './tokens.config.js'
import type { TokensStore } from './tokens.store.js'
import type { TokenSession } from './token.js'

export interface CodeResponderDeps {
  config: TokensConfig
  store: TokensStore
  minter: TokenMinter
  clock: Clock
  getClient: (id: string) => Promise<OAuth2Client>
}

export function sessionOfGrant (request: AuthorizationRequest, grant: GrantedSession, originGrant: string): TokenSession {
  return {
    subject: grant.subject,
    clientSubject: grant.clientSubject,
    idTokenClaims: { ...grant.idTokenClaims },
    accessTokenClaims: { ...grant.accessTokenClaims },
    authTimeMs: grant.authenticatedAt.getTime(),
    requestedAtMs: grant.requestedAt.getTime(),
    acr: grant.acr,
    amr: [...grant.amr],
    sid: grant.loginSessionId,
    nonce: request.nonce ?? '',
    codeChallenge: request.codeChallenge ?? '',
    codeChallengeMethod: request.codeChallengeMethod ?? '',
    redirectUriParameter: request.redirectUriParameter,
    originGrant
  }
}

export class AuthorizationCodeResponder implements AuthorizationResponder {
  private readonly deps: CodeResponderDeps

  constructor (deps: CodeResponderDeps) {
    this.deps = deps
  }

  async respond (request: AuthorizationRequest, grant: GrantedSession): Promise<Record<string, string>> {
    const types = [...request.responseTypes].sort()
    // Implicit and hybrid response types are not implemented yet.
    if (types.length !== 1 || types[0] !== 'code') throw unsupportedResponseType('Only response_type=code is supported.')
    const client = await this.deps.getClient(request.clientId)
    assertPkceRequest(client, request.codeChallenge, request.codeChallengeMethod, this.deps.config)
    if (request.nonce !== undefined && request.nonce !== '' && request.nonce.length < 8) throw insufficientEntropy('The nonce must be at least 8 characters long.')
    const issued = this.deps.minter.mintCode({
      requestId: grant.consentRequestId,
      challengeId: grant.consentRequestId,
      client,
      requestedScope: request.requestedScope,
      grantedScope: grant.grantedScope,
      requestedAudience: request.requestedAudience,
      grantedAudience: grant.grantedAudience,
      session: sessionOfGrant(request, grant, 'authorization_code'),
      formData: new URLSearchParams(request.form).toString(),
      now: this.deps.clock.now(),
      grantType: 'authorization_code'
    })
    await this.deps.store.insertCode(issued.record)
    return { code: issued.token, scope: grant.grantedScope.join(' '), state: request.state }
  }
}
