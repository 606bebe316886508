// OAuth 2.0 client management (Hydra's client handler + manager logic): admin CRUD, secret rotation and RFC 7591/7592 DCR.
import { randomUUID } from 'node:crypto'
import type { Clock } from '../lib/clock.js'
import { pageById, type PageTokens } from '../lib/keyset-pagination.js'
import { badRequest, conflict, forbidden, invalidClientMetadata, notFound, resourceNotFound, unauthorized } from '../errors/catalogue.js'
import { ROTATED_SECRETS_KEPT, canRotateSecret, effectiveAuthMethod, isPublicClient, type ClientDraft, type LifespansMs, type OAuth2Client } from './client.js'
import { fetchSectorIdentifierDocument, validateClientDraft, validateDynamicClientDraft, type ClientValidationOptions } from './client.validator.js'
import { OAuth2ClientWire, assertWire, clientDraftFromWire, clientToWire } from './client.wire.js'
import type { ClientsStore } from './clients.store.js'
import { JsonPatchError, applyJsonPatch, type PatchOperation } from './json-patch.js'
import type { RegistrationTokens } from './registration-token.js'
import { SecretTooLongError, generateClientSecret, type SecretHasher } from './secret-hasher.js'
import type { VerifiedSecretCache } from './verified-secret-cache.js'

export interface ClientsServiceConfig {
  /** `oidc.dynamic_client_registration.default_scope`. */
  defaultScope: readonly string[]
  /** `oidc.subject_identifiers.supported_types`. */
  subjectTypesSupported: readonly string[]
  /** `oidc.dynamic_client_registration.enabled`. */
  isDynamicRegistrationEnabled: boolean
  /** The public base URL (urls.self.public), used for `registration_client_uri`. */
  publicUrl: string
}

export interface ClientsServiceDeps {
  store: ClientsStore
  hasher: SecretHasher
  clock: Clock
  config: ClientsServiceConfig
  registrationTokens: RegistrationTokens
  pageTokens: PageTokens
  fetchSectorIdentifier?: (url: string) => Promise<unknown>
  /** Set when private IP ranges are disallowed (see private-ip-guard.ts). */
  checkUrls?: (fields: Record<string, string>) => Promise<string | undefined>
  /** Remembers successful secret checks (verified-secret-cache.ts); absent means every check hashes. */
  verifiedSecrets?: VerifiedSecretCache
}

/** A client plus the values a response may show once: cleartext secret and registration credentials. */
export interface ClientResult {
  client: OAuth2Client
  secret?: string
  registrationAccessToken?: string
  registrationClientUri?: string
  /** DCR responses never show metadata. */
  hideMetadata?: boolean
}

export interface ClientPage {
  clients: OAuth2Client[]
  pageSize: number
  firstToken: string
  nextToken?: string
}

export interface ListClientsQuery {
  name?: string
  owner?: string
  pageSize?: string
  pageToken?: string
}

const MAX_ID_LENGTH = 255
const DCR_UNAUTHORIZED = 'The requested OAuth 2.0 client does not exist or you provided incorrect credentials.'
const PATCH_FORBIDDEN_PATHS = ['/client_id', '/rotated_secrets']

// Hydra's Client.BeforeSave turns a missing audience / CORS list into [] (a missing jwks/metadata renders `{}`).
function beforeSave<T extends Pick<OAuth2Client, 'audience' | 'allowedCorsOrigins'>> (fields: T): T {
  return { ...fields, audience: fields.audience ?? [], allowedCorsOrigins: fields.allowedCorsOrigins ?? [] }
}

export class ClientsService {
  private readonly deps: ClientsServiceDeps
  private readonly validation: ClientValidationOptions

  constructor (deps: ClientsServiceDeps) {
    this.deps = deps
    this.validation = {
      defaultScope: deps.config.defaultScope,
      subjectTypesSupported: deps.config.subjectTypesSupported,
      fetchSectorIdentifier: deps.fetchSectorIdentifier ?? fetchSectorIdentifierDocument,
      ...(deps.checkUrls === undefined ? {} : { checkUrls: deps.checkUrls })
    }
  }

  // Hydra stamps times rounded to the second, in UTC.
  private now (): Date {
    return new Date(Math.round(this.deps.clock.now().getTime() / 1000) * 1000)
  }

  private async hashSecret (secret: string): Promise<string> {
    try {
      return await this.deps.hasher.hash(secret)
    } catch (error) {
      if (error instanceof SecretTooLongError) throw invalidClientMetadata('Field client_secret must not be longer than 72 bytes when secrets are hashed with bcrypt.')
      throw error
    }
  }

  private registrationClientUri (id: string): string {
    const base = this.deps.config.publicUrl.endsWith('/') ? this.deps.config.publicUrl : `${this.deps.config.publicUrl}/`
    return `${base}oauth2/register/${encodeURIComponent(id)}`
  }

  private async requireClient (id: string): Promise<OAuth2Client> {
    const client = await this.deps.store.getClient(id)
    if (client === undefined) throw resourceNotFound()
    return client
  }

  private async create (draft: ClientDraft, isDynamic: boolean): Promise<ClientResult> {
    if (isDynamic) {
      if (draft.secret !== '') throw badRequest('It is not allowed to choose your own OAuth2 Client secret.')
      draft.id = randomUUID()
    }
    if (draft.secret === '') draft.secret = generateClientSecret()
    await (isDynamic ? validateDynamicClientDraft : validateClientDraft)(draft, this.validation)
    if (draft.id === '') draft.id = randomUUID()
    if (draft.id.length > MAX_ID_LENGTH) throw invalidClientMetadata(`Field client_id must not be longer than ${MAX_ID_LENGTH} characters.`)
    const now = this.now()
    const { token, signature } = this.deps.registrationTokens.issue()
    const { secret, ...fields } = draft
    const client: OAuth2Client = {
      ...beforeSave(fields),
      secretHash: await this.hashSecret(secret),
      rotatedSecretHashes: [],
      registrationAccessTokenSignature: signature,
      createdAt: now,
      updatedAt: now
    }
    if (!await this.deps.store.insertClient(client)) throw conflict()
    return {
      client,
      ...(isPublicClient(client) ? {} : { secret }),
      registrationAccessToken: token,
      registrationClientUri: this.registrationClientUri(client.id)
    }
  }

  /**
   * Stores `draft` as the full new state of `previous`. An empty secret keeps the stored hash and the rotated
   * ones; a new secret is hashed and clears the rotated ones (hydra-api.md §2.4-2.5).
   */
  private async replace (previous: OAuth2Client, draft: ClientDraft, changes: Partial<OAuth2Client> = {}): Promise<OAuth2Client> {
    const { secret, ...fields } = draft
    const client: OAuth2Client = {
      ...beforeSave(fields),
      id: previous.id,
      secretHash: secret === '' ? previous.secretHash : await this.hashSecret(secret),
      rotatedSecretHashes: secret === '' ? previous.rotatedSecretHashes : [],
      registrationAccessTokenSignature: previous.registrationAccessTokenSignature,
      createdAt: previous.createdAt,
      updatedAt: this.now(),
      ...changes
    }
    if (!await this.deps.store.updateClient(client)) throw resourceNotFound()
    this.forgetVerifiedSecrets(client.id)
    return client
  }

  async createOAuth2Client (draft: ClientDraft): Promise<ClientResult> {
    return await this.create(draft, false)
  }

  async getOAuth2Client (id: string): Promise<OAuth2Client> {
    return await this.requireClient(id)
  }

  async listOAuth2Clients (query: ListClientsQuery): Promise<ClientPage> {
    const invalid = (reason: string): Error => badRequest(`Unable to parse pagination parameters: ${reason}`)
    const { rows, ...page } = await pageById(this.deps.pageTokens, query, invalid, async (afterId, limit) => await this.deps.store.listClients({
      ...(query.name === undefined || query.name === '' ? {} : { name: query.name }),
      ...(query.owner === undefined || query.owner === '' ? {} : { owner: query.owner }),
      afterId,
      limit
    }))
    return { clients: rows, ...page }
  }

  async setOAuth2Client (id: string, draft: ClientDraft): Promise<ClientResult> {
    const previous = await this.requireClient(id)
    draft.id = previous.id
    const sentSecret = draft.secret
    await validateClientDraft(draft, this.validation)
    const client = await this.replace(previous, draft)
    return { client, ...(sentSecret === '' ? {} : { secret: sentSecret }) }
  }

  /** RFC 6902 on the client's JSON, where `client_secret` holds the stored hash (as in Hydra). */
  async patchOAuth2Client (id: string, patch: readonly PatchOperation[]): Promise<ClientResult> {
    const previous = await this.requireClient(id)
    let patched: unknown
    try {
      patched = applyJsonPatch(clientToWire(previous, { secret: previous.secretHash }), patch, PATCH_FORBIDDEN_PATHS)
    } catch (error) {
      if (error instanceof JsonPatchError) throw badRequest(`Unable to apply the JSON Patch: ${error.message}.`)
      throw error
    }
    assertWire(OAuth2ClientWire, patched, 'the patched client')
    const draft = clientDraftFromWire(patched)
    draft.id = previous.id
    const isNewSecret = draft.secret !== previous.secretHash
    if (!isNewSecret) draft.secret = ''
    const newSecret = draft.secret
    await validateClientDraft(draft, this.validation)
    const client = await this.replace(previous, draft)
    return { client, ...(isNewSecret && newSecret !== '' ? { secret: newSecret } : {}) }
  }

  async deleteOAuth2Client (id: string): Promise<void> {
    if (!await this.deps.store.deleteClient(id)) throw resourceNotFound()
    this.forgetVerifiedSecrets(id)
  }

  /** Replaces all per-grant lifespans (missing ones become null) and nothing else. */
  async setOAuth2ClientLifespans (id: string, lifespansMs: LifespansMs): Promise<ClientResult> {
    const previous = await this.requireClient(id)
    const { secretHash, rotatedSecretHashes, registrationAccessTokenSignature, createdAt, updatedAt, ...fields } = previous
    const draft: ClientDraft = { ...fields, secret: '', lifespansMs }
    await validateClientDraft(draft, this.validation)
    return { client: await this.replace(previous, draft) }
  }

  private requireRotatable (client: OAuth2Client): void {
    if (!canRotateSecret(client)) {
      throw badRequest(`The client is configured to use the "${effectiveAuthMethod(client)}" authentication method, which does not support client secret rotation.`)
    }
  }

  /** Issues a new secret; the previous one keeps authenticating (at most ROTATED_SECRETS_KEPT are kept). */
  async rotateOAuth2ClientSecret (id: string): Promise<ClientResult> {
    const previous = await this.requireClient(id)
    this.requireRotatable(previous)
    const rotated = previous.secretHash === ''
      ? previous.rotatedSecretHashes
      : [previous.secretHash, ...previous.rotatedSecretHashes].slice(0, ROTATED_SECRETS_KEPT)
    const secret = generateClientSecret()
    const client: OAuth2Client = { ...previous, secretHash: await this.hashSecret(secret), rotatedSecretHashes: rotated, updatedAt: this.now() }
    if (!await this.deps.store.updateClient(client)) throw resourceNotFound()
    this.forgetVerifiedSecrets(id)
    return { client, secret }
  }

  async deleteRotatedOAuth2ClientSecrets (id: string): Promise<ClientResult> {
    const previous = await this.requireClient(id)
    this.requireRotatable(previous)
    const client: OAuth2Client = { ...previous, rotatedSecretHashes: [], updatedAt: this.now() }
    if (!await this.deps.store.updateClient(client)) throw resourceNotFound()
    this.forgetVerifiedSecrets(id)
    return { client }
  }

  /**
   * True when `presented` is the client's current secret or one of its rotated ones (for the token endpoint).
   * With an `id`, a success is remembered (keyed by id, every stored hash and the secret), so the next check of
   * the same secret against the same stored hashes skips the slow hash; failures are never remembered.
   */
  async verifySecret (client: Pick<OAuth2Client, 'secretHash' | 'rotatedSecretHashes'> & Partial<Pick<OAuth2Client, 'id'>>, presented: string): Promise<boolean> {
    const hashes = [client.secretHash, ...client.rotatedSecretHashes]
    const slowVerify = async (): Promise<boolean> => {
      for (const encoded of hashes) {
        if (encoded !== '' && await this.deps.hasher.verify(presented, encoded)) return true
      }
      return false
    }
    const cache = this.deps.verifiedSecrets
    if (cache === undefined || client.id === undefined) return await slowVerify()
    return await cache.verify({ clientId: client.id, hashes }, presented, slowVerify)
  }

  // Called after every successful write of a client; see verified-secret-cache.ts for why this is not the only guard.
  private forgetVerifiedSecrets (id: string): void {
    this.deps.verifiedSecrets?.forgetClient(id)
  }

  // --- RFC 7591 / 7592 dynamic client registration (public listener) ---

  /** Throws Hydra's 404 when `oidc.dynamic_client_registration.enabled` is off. */
  requireDynamicRegistration (): void {
    if (!this.deps.config.isDynamicRegistrationEnabled) throw notFound('Dynamic registration is not enabled.')
  }

  /** The client `id` if `registrationAccessToken` authorises managing it; any failure is the same 401. */
  private async requireRegistrationAccess (id: string, registrationAccessToken: string): Promise<OAuth2Client> {
    this.requireDynamicRegistration()
    const client = await this.deps.store.getClient(id)
    if (client === undefined || !this.deps.registrationTokens.matches(registrationAccessToken, client.registrationAccessTokenSignature)) {
      throw unauthorized(DCR_UNAUTHORIZED)
    }
    return client
  }

  async createOidcDynamicClient (draft: ClientDraft): Promise<ClientResult> {
    this.requireDynamicRegistration()
    return await this.create(draft, true)
  }

  async getOidcDynamicClient (id: string, registrationAccessToken: string): Promise<ClientResult> {
    return { client: await this.requireRegistrationAccess(id, registrationAccessToken), hideMetadata: true }
  }

  /** Full replace under DCR rules; issues a new registration access token and returns it once. */
  async setOidcDynamicClient (id: string, registrationAccessToken: string, draft: ClientDraft): Promise<ClientResult> {
    const previous = await this.requireRegistrationAccess(id, registrationAccessToken)
    if (draft.secret !== '') throw forbidden('It is not allowed to choose your own OAuth2 Client secret.')
    draft.id = previous.id
    await validateDynamicClientDraft(draft, this.validation)
    const { token, signature } = this.deps.registrationTokens.issue()
    const client = await this.replace(previous, draft, { registrationAccessTokenSignature: signature })
    return { client, registrationAccessToken: token }
  }

  async deleteOidcDynamicClient (id: string, registrationAccessToken: string): Promise<void> {
    const client = await this.requireRegistrationAccess(id, registrationAccessToken)
    await this.deleteOAuth2Client(client.id)
  }
}
