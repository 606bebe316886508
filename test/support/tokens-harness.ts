// Helpers for token end-to-end tests: a running Warden, Hydra's SDK for admin calls, raw form posts.
import { OAuth2Api, type OAuth2Client } from '@ory/hydra-client'
import { startTestWarden, type StartTestWardenOptions, type TestWarden } from './warden.js'

export interface TokensHarness {
  warden: TestWarden
  admin: OAuth2Api
  /** Creates a client through the admin API; returns it with its cleartext secret. */
  createClient(body: OAuth2Client): Promise<OAuth2Client & { client_id: string, client_secret: string }>
  /** POSTs a form to a public path; `auth` = [id, secret] for HTTP Basic. */
  postForm(path: string, form: Record<string, string | string[]>, auth?: [string, string]): Promise<Response>
  introspect(token: string, scope?: string): Promise<Record<string, unknown>>
  close(): Promise<void>
}

export function basicAuth (id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`
}

export async function startTokensHarness (options: StartTestWardenOptions = {}): Promise<TokensHarness> {
  const warden = await startTestWarden(options)
  const admin = new OAuth2Api(warden.adminSdk)
  return {
    warden,
    admin,
    async createClient (body) {
      const response = await admin.createOAuth2Client({ oAuth2Client: body })
      return response.data as OAuth2Client & { client_id: string, client_secret: string }
    },
    async postForm (path, form, auth) {
      const params = new URLSearchParams()
      for (const [key, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v)
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
      if (auth !== undefined) headers['authorization'] = basicAuth(auth[0], auth[1])
      return await fetch(new URL(path, warden.publicUrl), { method: 'POST', headers, body: params.toString() })
    },
    async introspect (token, scope) {
      const response = await admin.introspectOAuth2Token({ token, ...(scope === undefined ? {} : { scope }) })
      return response.data as unknown as Record<string, unknown>
    },
    close: async () => { await warden.close() }
  }
}
