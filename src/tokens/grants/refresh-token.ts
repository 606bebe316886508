// grant_type=refresh_token (RFC 6749 §6, hydra-api.md §4.7): rotation, reuse detection, graceful reuse, narrowing.
import { clientScopes } from '../../clients/client.js'
import { invalidGrant, invalidRequest, invalidScope, serverError } from '../../errors/catalogue.js'
import { OAuth2Error, isOAuth2Error } from '../../errors/oauth2-error.js'
import { audienceAllowed } from '../scope-strategy.js'
import { REUSE_DETECTION_WINDOW_MS, hasOfflineScope, splitList, type RefreshRecord, type TokenSession } from '../token.js'
import type { TokenResponse } from '../token-minter.js'
import type { GrantRequest, GrantTools } from './grant.js'
import { sanitisedForm, type GrantHandler } from './grant.js'

const REUSED = 'The refresh token was already used.'

function scopeNotGranted (): OAuth2Error {
  return new OAuth2Error({ error: 'scope_not_granted', statusCode: 403, description: 'The token was not granted the requested scope.', hint: 'The OAuth 2.0 Client was not granted scope offline and may thus not perform the \'refresh_token\' authorization grant.' })
}

/** Inside the grace period a used token may be presented again (hydra-api.md §4.7). */
function isWithinGrace (tools: GrantTools, row: RefreshRecord, nowMs: number): boolean {
  const { rotationGracePeriodMs: graceMs, rotationGraceReuseCount: count } = tools.config
  if (graceMs <= 0 || row.firstUsedAt === null) return false
  if (nowMs >= row.firstUsedAt.getTime() + graceMs) return false
  return count === 0 || row.usedTimes < count
}

/** Checks that need no lock: ownership, expiry, offline scope, the client's current scopes and audiences. */
function assertRefreshable (tools: GrantTools, row: RefreshRecord, request: GrantRequest): void {
  const { client, now } = request
  if (row.clientId !== client.id) throw invalidGrant('The OAuth 2.0 Client ID from this request does not match the ID during the initial token issuance.')
  if (row.isActive && row.expiresAt.getTime() <= now.getTime()) throw invalidGrant('The refresh token has expired.')
  if (!hasOfflineScope(row.grantedScope)) throw scopeNotGranted()
  const allowed = clientScopes(client)
  for (const scope of row.grantedScope) {
    if (!tools.scopeAllowed(allowed, scope)) throw invalidScope(`The OAuth 2.0 Client is no longer allowed to use scope '${scope}'.`)
  }
  for (const audience of row.grantedAudience) {
    if (!audienceAllowed(client.audience ?? [], audience)) throw invalidRequest(`The OAuth 2.0 Client is no longer allowed to use audience '${audience}'.`)
  }
}

/** The checks of a locked (or just read) row; 'reused' when it was rotated already and is outside any grace. */
function inspect (tools: GrantTools, row: RefreshRecord, request: GrantRequest): 'reused' | { session: TokenSession, accessScope: string[] } {
  assertRefreshable(tools, row, request)
  if (!row.isActive && !isWithinGrace(tools, row, request.now.getTime())) return 'reused'
  const session = tools.codec.decode(row.sessionData)
  if (session === undefined) throw serverError().withDebug('The session of the refresh token could not be read.')
  // RFC 6749 §6: a narrower scope may be asked for the new access token; never a wider one.
  const asked = splitList(request.form['scope'])
  for (const scope of asked) {
    if (!row.grantedScope.includes(scope)) throw invalidScope(`The scope '${scope}' was not granted to the refresh token.`)
  }
  return { session, accessScope: asked.length > 0 ? asked : row.grantedScope }
}

/**
 * The session after the token hooks, which run before the transaction on an unlocked read of the row: a hook may
 * take seconds, and the row lock (on SQLite, the database) must not wait for it. A row that fails a check skips the
 * hooks; the transaction then answers with the error (revoking a reused chain). A failing hook leaves the token unused.
 */
async function hookedSession (tools: GrantTools, signature: string, request: GrantRequest): Promise<TokenSession | undefined> {
  if (!tools.hooks.isCalledFor('refresh_token')) return undefined
  const row = await tools.store.findRefresh(signature)
  if (row === undefined) return undefined
  let inspected: ReturnType<typeof inspect>
  try {
    inspected = inspect(tools, row, request)
  } catch (error) {
    if (isOAuth2Error(error)) return undefined
    throw error
  }
  if (inspected === 'reused') return undefined
  const { client, form, now } = request
  return await tools.hooks.apply({
    client,
    grantType: 'refresh_token',
    challengeId: row.challengeId,
    requestedScope: row.requestedScope,
    grantedScope: inspected.accessScope,
    grantedAudience: row.grantedAudience,
    session: inspected.session,
    now
  }, form)
}

export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',
  async handle (tools, request) {
    const { client, form, now } = request
    const presented = form['refresh_token'] ?? ''
    if (presented === '') throw invalidRequest('The refresh_token parameter is missing.')
    const signature = tools.minter.verifyOpaque('refresh_token', presented)
    if (signature === undefined) throw invalidGrant('The refresh token is malformed or not valid.')
    const nowMs = now.getTime()
    const hooked = await hookedSession(tools, signature, request)
    // ID tokens come only with openid, which a narrowed request may drop; loading the key anyway is cheap.
    const keys = await tools.minter.keysFor(client, true)
    const outcome = await tools.store.atomically(async (writes): Promise<TokenResponse | 'reused'> => {
      const row = await writes.lockRefresh(signature)
      if (row === 'locked') {
        throw invalidRequest('Failed to refresh token because of multiple concurrent requests using the same token. Please retry the request.')
      }
      if (row === undefined) throw invalidGrant('The refresh token is malformed or not valid.')
      const inspected = inspect(tools, row, request)
      if (inspected === 'reused') {
        // Reuse of a rotated token: the whole chain goes (committed before the error is returned).
        await writes.revokeChain(row.requestId)
        return 'reused'
      }
      const { accessScope } = inspected
      const session = hooked ?? inspected.session
      const graceMs = tools.config.rotationGracePeriodMs
      if (graceMs > 0) {
        await writes.markRefreshUsed(signature, now, new Date(nowMs + REUSE_DETECTION_WINDOW_MS + graceMs))
        if (row.accessTokenSignature !== null) await writes.deleteAccess(row.accessTokenSignature)
      } else {
        await writes.deleteChainAccess(row.requestId)
        await writes.deactivateChainRefresh(row.requestId, new Date(nowMs + REUSE_DETECTION_WINDOW_MS))
        await writes.markRefreshUsed(signature, now, new Date(nowMs + REUSE_DETECTION_WINDOW_MS))
      }
      const base = {
        requestId: row.requestId,
        challengeId: row.challengeId,
        client,
        requestedScope: row.requestedScope,
        requestedAudience: row.requestedAudience,
        grantedAudience: row.grantedAudience,
        session,
        formData: sanitisedForm(form),
        now,
        grantType: 'refresh_token'
      }
      const access = await tools.minter.mintAccess({ ...base, grantedScope: accessScope }, keys)
      await writes.insertAccess(access.record)
      // The new refresh token keeps the full original scope (RFC 6749 §6).
      const refresh = tools.minter.mintRefresh({ ...base, grantedScope: row.grantedScope }, access.record.signature)
      await writes.insertRefresh(refresh.record)
      const response: TokenResponse = {
        access_token: access.token,
        expires_in: Math.max(0, Math.round((access.record.expiresAt.getTime() - nowMs) / 1000)),
        scope: accessScope.join(' '),
        token_type: 'bearer',
        refresh_token: refresh.token
      }
      if (accessScope.includes('openid')) response.id_token = await tools.minter.idToken({ ...base, grantedScope: accessScope }, access.token, keys)
      return response
    })
    if (outcome === 'reused') throw invalidGrant(REUSED)
    return outcome
  }
}
