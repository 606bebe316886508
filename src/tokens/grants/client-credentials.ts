// grant_type=client_credentials (RFC 6749 §4.4, hydra-api.md §4.8): the client acts on its own behalf.
import { clientScopes, isPublicClient } from '../../clients/client.js'
import { invalidGrant, invalidScope, invalidRequest } from '../../errors/catalogue.js'
import { audienceAllowed } from '../scope-strategy.js'
import { splitList } from '../token.js'
import { grantWithoutConsent, type GrantHandler } from './grant.js'

export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',
  async handle (tools, request) {
    const { client, form, audience, now } = request
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
    const grant = await grantWithoutConsent(tools, request, { grantType: 'client_credentials', subject: client.id, scope: requested, grantedAudience: audience })
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
