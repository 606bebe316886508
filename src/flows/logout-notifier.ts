// The hook logout calls once a login session ends; oidc/logout-channels.ts implements it (front-/back-channel).
import type { OAuth2Client } from '../clients/client.js'

export interface EndedLoginSession {
  sid: string
  subject: string
  /** Clients that obtained grants in this login session (OIDC Front/Back-Channel Logout participants). */
  clients: readonly OAuth2Client[]
  identityProviderSessionId: string
}

export interface LogoutNotifier {
  /**
   * Back-channel: fire-and-forget notifications after the session row was deleted (at most once per session).
   * Front-channel: URLs for hidden iframes on the page that ends the logout; [] means a plain redirect.
   */
  sessionEnded(session: EndedLoginSession): Promise<{ frontChannelUrls: string[] }>
}

/** Notifies nobody: the default when a composition (a unit test) passes no notifier. */
export const silentLogoutNotifier: LogoutNotifier = {
  sessionEnded: async () => ({ frontChannelUrls: [] })
}
