// grant_type=authorization_code (RFC 6749 §4.1.3, hydra-api.md §4.8): single-use codes, redirect_uri and PKCE checks.
import { effectiveGrantTypes } from '../../clients/client.js'
import { invalidGrant, invalidRequest, serverError } from '../../errors/catalogue.js'
import { assertPkceVerifier } from '../pkce.js'
import { REUSE_DETECTION_WINDOW_MS, hasOfflineScope } from '../token.js'
import type { TokenResponse } from '../token-minter.js'
import { sanitisedForm, type GrantHandler } from './grant.js'

const CODE_USED = 'The authorization code has already been used.'

export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  async handle (tools, { client, form, now }) {
    const code = form['code'] ?? ''
    if (code === '') throw invalidRequest('The code parameter is missing.')
    const signature = tools.minter.verifyOpaque('authorize_code', code)
    const record = signature === undefined ? undefined : await tools.store.findCode(signature)
    if (record === undefined || signature === undefined) throw invalidGrant('The authorization code is malformed or not valid.')
    if (!record.isActive) {
      // RFC 6749 §4.1.2: a replayed code revokes what was issued for it.
      await tools.store.revokeChain(record.requestId)
      throw invalidGrant(CODE_USED)
    }
    if (record.expiresAt.getTime() <= now.getTime()) throw invalidGrant('The authorization code has expired.')
    if (record.clientId !== client.id) throw invalidGrant('The OAuth 2.0 Client ID from this request does not match the one from the authorize request.')
    const session = tools.codec.decode(record.sessionData)
    if (session === undefined) throw serverError().withDebug('The session of the authorization code could not be read.')
    if (session.redirectUriParameter !== '' && form['redirect_uri'] !== session.redirectUriParameter) {
      throw invalidGrant('The redirect_uri parameter does not match the one used in the authorization request.')
    }
    assertPkceVerifier(session.codeChallenge, form['code_verifier'])

    const requestedGrant = {
      requestId: record.requestId,
      challengeId: record.challengeId,
      client,
      requestedScope: record.requestedScope,
      grantedScope: record.grantedScope,
      requestedAudience: record.requestedAudience,
      grantedAudience: record.grantedAudience,
      session,
      formData: sanitisedForm(form),
      now,
      grantType: 'authorization_code'
    }
    // Before the code is used: a hook that fails or refuses leaves it redeemable.
    const grant = { ...requestedGrant, session: await tools.hooks.apply(requestedGrant, form) }
    const isRefreshAllowed = hasOfflineScope(record.grantedScope) && effectiveGrantTypes(client).includes('refresh_token')
    const isIdTokenWanted = record.grantedScope.includes('openid')
    const keys = await tools.minter.keysFor(client, isIdTokenWanted)
    const outcome = await tools.store.atomically(async (writes): Promise<TokenResponse | 'used'> => {
      if (!await writes.useCode(signature, new Date(now.getTime() + REUSE_DETECTION_WINDOW_MS))) {
        await writes.revokeChain(record.requestId)
        return 'used'
      }
      return await tools.minter.issueTokens(writes, grant, { isRefreshAllowed, isIdTokenWanted, keys })
    })
    if (outcome === 'used') throw invalidGrant(CODE_USED)
    return outcome
  }
}
