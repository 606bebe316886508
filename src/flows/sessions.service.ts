// Consent and login session listing and revocation for the admin API (hydra-api.md §3.10).
import type { OAuth2Client } from '../clients/client.js'
import { invalidRequest } from '../errors/catalogue.js'
import type { Clock } from '../lib/clock.js'
import { PageTokenError, parsePageSize, type PageTokens } from '../lib/keyset-pagination.js'
import type { FlowsStore, StoredGrant } from './flows.store.js'
import type { LogoutNotifier } from './logout-notifier.js'

export interface SessionsServiceDeps {
  store: FlowsStore
  clock: Clock
  pageTokens: PageTokens
  findClient: (id: string) => Promise<OAuth2Client | undefined>
  logoutNotifier: LogoutNotifier
}

export interface ConsentSessionPage {
  sessions: Array<{ grant: StoredGrant, client: OAuth2Client | undefined }>
  pageSize: number
  firstToken: string
  nextToken: string | undefined
}

export interface ConsentRevocation {
  subject: string
  client: string
  consentRequestId: string
  all: boolean
}

const CURSOR = ['login_challenge']

export class SessionsService {
  private readonly deps: SessionsServiceDeps

  constructor (deps: SessionsServiceDeps) {
    this.deps = deps
  }

  async listOAuth2ConsentSessions (query: { subject: string, loginSessionId: string, pageSize: string | undefined, pageToken: string | undefined }): Promise<ConsentSessionPage> {
    if (query.subject === '') throw invalidRequest("Query parameter 'subject' is not defined but should have been.")
    let pageSize: number
    let after: string | undefined
    try {
      pageSize = parsePageSize(query.pageSize)
      if (query.pageToken !== undefined && query.pageToken !== '') {
        const cursor = String(this.deps.pageTokens.decode(query.pageToken, CURSOR).login_challenge)
        after = cursor === '' ? undefined : cursor
      }
    } catch (error) {
      if (error instanceof PageTokenError) throw invalidRequest(error.message)
      throw error
    }
    const rows = await this.deps.store.listConsentSessions({
      subject: query.subject,
      ...(query.loginSessionId === '' ? {} : { loginSessionId: query.loginSessionId }),
      now: this.deps.clock.now(),
      limit: pageSize + 1,
      ...(after === undefined ? {} : { afterFlowId: after })
    })
    const page = rows.slice(0, pageSize)
    const clients = new Map<string, OAuth2Client | undefined>()
    for (const grant of page) if (!clients.has(grant.clientId)) clients.set(grant.clientId, await this.deps.findClient(grant.clientId))
    const last = page[page.length - 1]
    return {
      sessions: page.map((grant) => ({ grant, client: clients.get(grant.clientId) })),
      pageSize,
      firstToken: this.deps.pageTokens.encode({ login_challenge: '' }),
      nextToken: rows.length > pageSize && last !== undefined ? this.deps.pageTokens.encode({ login_challenge: last.flowId }) : undefined
    }
  }

  /** Exactly one of: consent_request_id; subject + client; subject + all=true. Deleting grants revokes their tokens. */
  async revokeOAuth2ConsentSessions (query: ConsentRevocation): Promise<void> {
    const { subject, client, consentRequestId, all } = query
    if (consentRequestId !== '' && subject === '' && client === '' && !all) {
      await this.deps.store.revokeConsentById(consentRequestId)
      return
    }
    if (consentRequestId === '' && subject !== '' && client !== '' && !all) {
      await this.deps.store.revokeConsentsOfSubject(subject, client)
      return
    }
    if (consentRequestId === '' && subject !== '' && client === '' && all) {
      await this.deps.store.revokeConsentsOfSubject(subject, undefined)
      return
    }
    throw invalidRequest('Invalid combination of query parameters.')
  }

  /** `sid`: headless logout of one session (notifications once, by whoever deleted the row); `subject`: all, silently. */
  async revokeOAuth2LoginSessions (query: { subject: string, sid: string }): Promise<void> {
    if (query.sid !== '') {
      const session = await this.deps.store.getLoginSession(query.sid)
      if (session === undefined) return
      const clientIds = await this.deps.store.clientIdsOfLoginSession(session.id, session.subject)
      if (!await this.deps.store.deleteLoginSession(session.id)) return
      const clients = (await Promise.all(clientIds.map(this.deps.findClient))).filter((client): client is OAuth2Client => client !== undefined)
      await this.deps.logoutNotifier.sessionEnded({ sid: session.id, subject: session.subject, clients, identityProviderSessionId: session.identityProviderSessionId })
      return
    }
    if (query.subject !== '') {
      await this.deps.store.deleteLoginSessionsOfSubject(query.subject)
      return
    }
    throw invalidRequest("Either 'subject' or 'sid' query parameters need to be defined.")
  }
}
