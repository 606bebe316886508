// The grant handlers /oauth2/token dispatches to, keyed by grant_type.
import { authorizationCodeGrant } from './authorization-code.js'
import { clientCredentialsGrant } from './client-credentials.js'
import type { GrantHandler } from './grant.js'
import { jwtBearerGrant } from './jwt-bearer.js'
import { refreshTokenGrant } from './refresh-token.js'

export const GRANTS: ReadonlyMap<string, GrantHandler> = new Map(
  [authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant, jwtBearerGrant].map((grant) => [grant.grantType, grant])
)
