// JWT-bearer trust relationships (hydra-api.md §4.13): the admin operations, and the key lookup the RFC 7523 grant uses.
import { badRequest, conflict, resourceNotFound } from '../errors/catalogue.js'
import { OAuth2Error, isOAuth2Error } from '../errors/oauth2-error.js'
import { parseJwk, toPublicJwk, type Jwk } from '../keys/jwk.js'
import type { Clock } from '../lib/clock.js'
import { pageById, type PageTokens } from '../lib/keyset-pagination.js'
import { randomId } from '../lib/random.js'
import { DuplicateTrustError, type TrustGrant, type TrustStore } from './trust.store.js'
import type { TrustRequest } from './trust.wire.js'

/** The part of KeysService trust needs: the issuer's public key lives in hydra_jwk (set = issuer, kid = jwk.kid). */
export interface TrustKeys {
  /** The key as a one-key set; rejects with a 404 OAuth2Error when absent. */
  getKey(set: string, kid: string): Promise<Jwk[]>
  setKey(set: string, kid: string, body: unknown): Promise<Jwk>
  deleteKey(set: string, kid: string): Promise<void>
}

export interface TrustServiceDeps {
  store: TrustStore
  keys: TrustKeys
  clock: Clock
  pageTokens: PageTokens
}

export interface TrustPage {
  grants: TrustGrant[]
  pageSize: number
  firstToken: string
  nextToken?: string
}

/** A key an assertion may be verified with, and the scopes its relationship allows. */
export interface TrustedKey {
  jwk: Jwk
  scope: string[]
}

// Hydra loads at most this many keys when the assertion names no kid.
const MAX_KEYS_PER_LOOKUP = 100
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i

function missingParameter (hint: string): OAuth2Error {
  return new OAuth2Error({ error: 'missing_required_parameter', statusCode: 400, description: 'One of the required parameters is missing. Check your request parameters.', hint })
}

/** Hydra's validateGrant, in its order. */
function assertComplete (request: TrustRequest): asserts request is TrustRequest & { expiresAt: Date, jwk: Record<string, unknown> } {
  if (request.issuer === '') throw missingParameter("Field 'issuer' is required.")
  if (request.subject === '' && !request.allowAnySubject) throw missingParameter("One of 'subject' or 'allow_any_subject' field must be set.")
  if (request.subject !== '' && request.allowAnySubject) throw missingParameter("Both 'subject' and 'allow_any_subject' fields cannot be set at the same time.")
  if (request.expiresAt === undefined) throw missingParameter("Field 'expires_at' is required.")
  const kid = request.jwk?.['kid']
  if (typeof kid !== 'string' || kid === '') throw missingParameter("Field 'jwk' must contain JWK with kid header.")
}

/** Hydra rounds both instants to the second (half away from zero, as Go's Round). */
function roundToSecond (date: Date): Date {
  return new Date(Math.round(date.getTime() / 1000) * 1000)
}

function parseId (id: string): string {
  if (!UUID.test(id)) throw badRequest(`Unable to parse parameter id: uuid: incorrect UUID format "${id}"`)
  return id.toLowerCase()
}

export class TrustService {
  private readonly deps: TrustServiceDeps

  constructor (deps: TrustServiceDeps) {
    this.deps = deps
  }

  /** trustOAuth2JwtGrantIssuer: stores the public key (unless the issuer already has that kid) and the relationship. */
  async trustOAuth2JwtGrantIssuer (request: TrustRequest): Promise<TrustGrant> {
    assertComplete(request)
    const parsed = parseJwk(request.jwk)
    // Only the public half is kept; a symmetric key (HS* assertions) has no public half and is kept as given.
    const jwk = toPublicJwk(parsed) ?? parsed
    const grant: TrustGrant = {
      id: randomId(),
      issuer: request.issuer,
      subject: request.subject,
      allowAnySubject: request.allowAnySubject,
      scope: [...request.scope],
      keySet: request.issuer,
      keyId: jwk.kid,
      createdAt: roundToSecond(this.deps.clock.now()),
      expiresAt: roundToSecond(request.expiresAt)
    }
    if (!await this.hasKey(grant.keySet, grant.keyId)) await this.deps.keys.setKey(grant.keySet, grant.keyId, jwk)
    try {
      await this.deps.store.insert(grant)
    } catch (error) {
      if (error instanceof DuplicateTrustError) throw conflict('A trust relationship for this issuer, subject and key id exists already.')
      throw error
    }
    return grant
  }

  private async hasKey (set: string, kid: string): Promise<boolean> {
    try {
      await this.deps.keys.getKey(set, kid)
      return true
    } catch (error) {
      if (isOAuth2Error(error) && error.statusCode === 404) return false
      throw error
    }
  }

  async getTrustedOAuth2JwtGrantIssuer (id: string): Promise<TrustGrant> {
    const grant = await this.deps.store.find(parseId(id))
    if (grant === undefined) throw resourceNotFound(`The trust relationship ${id} does not exist.`)
    return grant
  }

  /** deleteTrustedOAuth2JwtGrantIssuer: also deletes the public key, and with it every relationship sharing it (as Hydra). */
  async deleteTrustedOAuth2JwtGrantIssuer (id: string): Promise<void> {
    const grant = await this.getTrustedOAuth2JwtGrantIssuer(id)
    await this.deps.store.delete(grant.id)
    await this.deps.keys.deleteKey(grant.keySet, grant.keyId)
  }

  async listTrustedOAuth2JwtGrantIssuers (query: { issuer?: string, pageSize?: string, pageToken?: string }): Promise<TrustPage> {
    const invalid = (reason: string): Error => badRequest(`Unable to parse pagination parameters: ${reason}`)
    const { rows, ...page } = await pageById(this.deps.pageTokens, query, invalid, async (afterId, limit) => await this.deps.store.list({
      ...(query.issuer === undefined || query.issuer === '' ? {} : { issuer: query.issuer }),
      afterId,
      limit
    }))
    return { grants: rows, ...page }
  }

  /**
   * The RFC 7523 grant's lookup: keys of unexpired relationships of `issuer` for `subject` (or any subject), only
   * `kid` when the assertion names one, newest first.
   */
  async findTrustedKeys (issuer: string, subject: string, kid: string | undefined): Promise<TrustedKey[]> {
    const grants = await this.deps.store.findActive({
      issuer,
      subject,
      ...(kid === undefined ? {} : { keyId: kid }),
      now: this.deps.clock.now(),
      limit: MAX_KEYS_PER_LOOKUP
    })
    const found: TrustedKey[] = []
    for (const grant of grants) {
      const [jwk] = await this.deps.keys.getKey(grant.keySet, grant.keyId).catch((error: unknown) => {
        if (isOAuth2Error(error) && error.statusCode === 404) return [] // deleted meanwhile: the relationship goes with it
        throw error
      })
      if (jwk !== undefined) found.push({ jwk, scope: grant.scope })
    }
    return found
  }
}
