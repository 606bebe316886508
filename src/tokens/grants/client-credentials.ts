// grant_type=client_credentials (RFC 6749 §4.4, hydra-api.md §4.8): the client acts on its own behalf.
import { clientScopes, isPublicClient } from '../../clients/client.js'
import { invalidGrant, invalidScope, invalidRequest } from '../../errors/catalogue.js'
import { timeOrderedHex } from '../../lib/random.js'
import { audienceAllowed } from '../scope-strategy.js'
import { emptySession, splitList } from '../token.js'
import { sanitisedForm, type GrantHandler } from './grant.js'

export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',
  async handle (tools, { client, form, audience, now }) {
    if (isPublicClient(client)) throw invalidGrant('The OAuth 2.0 Client is marked as public and is thus not allowed to use authorization grant \'client_credentials\'.')
    const allowedScopes = clientScopes(client)
    let requested = splitList(form['scope'])
    for (const scope of requested) {
      if (!tools.scopeAllowed(allowedScopes, scope)) throw invalidScope(`The OAuth 2.0 Client is not allowed to request scope '${scope}'.`)
    }
    if (requested.length === 0 && tools.config.isDefaultGrantAllowedScope) requested = allowedScopes
    for (const value of audience) {
      if (!audienceAllowed(client.audience ?? [], value)) throw invalidRequest(`Requested audience '${value}' has not been whitelisted by the OAuth 2.0 Client.`)
    }
    const session = { ...emptySession(), subject: client.id, clientSubject: client.id, originGrant: 'client_credentials' }
    const requestedGrant = {
      requestId: timeOrderedHex(now.getTime()),
      challengeId: null,
      client,
      requestedScope: requested,
      grantedScope: requested,
      requestedAudience: audience,
      grantedAudience: audience,
      session,
      formData: sanitisedForm(form),
      now,
      grantType: 'client_credentials'
    }
    const grant = { ...requestedGrant, session: await tools.hooks.apply(requestedGrant, form) }
    const access = await tools.minter.mintAccess(grant)
    await tools.store.insertAccess(access.record)
    return {
      access_token: access.token,
      expires_in: Math.round((access.record.expiresAt.getTime() - now.getTime()) / 1000),
      scope: requested.join(' '),
      token_type: 'bearer'
    }
  }
}
