// The login, consent and logout steps of the reference UI: read the challenge, show a page, accept or reject it.
import { AdminApiFailure, type AdminApi, type ConsentRequest, type Exchange, type Kind, type LoginRequest, type LogoutRequest } from './admin-api.js'
import { CSRF_FIELD, type Csrf, type CsrfCheck } from './csrf.js'
import { html } from './html.js'
import { consentPage, errorPage, loginPage, logoutPage, stillSignedInPage } from './pages.js'
import type { DemoUser, UserStore } from './users.js'

/** What a handler wants sent: a page or a redirect (the server adds headers and the CSRF cookie). */
export type Outcome =
  | { kind: 'page', status: number, html: string }
  | { kind: 'redirect', status: 302 | 303, location: string }

export interface HandlerDeps {
  admin: AdminApi
  users: UserStore
  csrf: Csrf
  /** How long Warden remembers a login or consent when the user ticks "remember", in seconds. */
  rememberForSeconds: number
}

/** One request, reduced to what the steps need. */
export interface StepInput {
  challenge: string
  /** The CSRF cookie value this response will carry (already set or newly minted). */
  csrfCookie: string
  /** The CSRF cookie the browser actually sent (undefined when it sent none). */
  presentedCookie: string | undefined
  form: URLSearchParams
}

const DENIED = { error: 'access_denied', error_description: 'The resource owner denied the request.' }
const page = (status: number, text: string): Outcome => ({ kind: 'page', status, html: text })
const redirect = (location: string, status: 302 | 303 = 303): Outcome => ({ kind: 'redirect', status, location })

const WHAT: Readonly<Record<Kind, string>> = { login: 'sign-in', consent: 'consent', logout: 'sign-out' }

/** Turns an admin API failure into a page that says what went wrong and what to do next (peers.md §3 item 10). */
export function failurePage (error: unknown, kind: Kind, adminUrl: string): Outcome {
  if (!(error instanceof AdminApiFailure)) {
    return page(502, errorPage({
      title: 'Warden cannot be reached',
      message: `This app could not reach Warden's admin API at ${adminUrl} (${(error as Error).message}). Is Warden running?`
    }))
  }
  const { status } = error.exchange
  const what = WHAT[kind]
  if (status === 410) {
    const target = (error.exchange.body as { redirect_to?: unknown } | undefined)?.redirect_to
    return page(410, errorPage({
      title: `This ${what} request was already completed`,
      message: 'The page was submitted before (perhaps with the back button). Continue where the flow left off.',
      ...(typeof target === 'string' ? { retry: { href: target, label: 'Continue' } } : {}),
      exchange: error.exchange
    }))
  }
  if (status === 401) {
    return page(401, errorPage({
      title: `This ${what} request has expired`,
      message: `${error.description} Go back to the application and start again; requests are valid for ttl.login_consent_request (30 minutes by default).`,
      exchange: error.exchange
    }))
  }
  if (status === 404 || status === 400) {
    return page(status, errorPage({
      title: `This ${what} link is not valid`,
      message: 'Warden does not recognise the challenge in this link. It may be incomplete, or Warden was restarted with a different secrets.system. Start again from the application.',
      exchange: error.exchange
    }))
  }
  return page(502, errorPage({ title: 'Warden refused the request', message: error.description === '' ? error.message : error.description, exchange: error.exchange }))
}

/** A POST whose CSRF check failed: explain, and offer to reload the same step (the challenge is still good). */
function csrfFailure (kind: Kind, challenge: string, result: CsrfCheck): Outcome | undefined {
  if (result === 'ok') return undefined
  const message = result === 'missing-cookie'
    ? 'Your browser did not send this app\'s security cookie back. Cookies must be allowed for this site; if you opened the form on another host name (localhost vs 127.0.0.1), use the same one throughout.'
    : 'The form\'s security token did not match. The form may be stale, or was submitted from another site.'
  return page(403, errorPage({
    title: 'Please try again',
    message,
    retry: { href: `/${kind}?${kind}_challenge=${encodeURIComponent(challenge)}`, label: 'Reload the form' }
  }))
}

/** OpenID Connect Core §5.4: `email` comes with the email scope, `name` with the profile scope. */
function profileClaims (user: DemoUser, scopes: readonly string[]): Record<string, string> {
  return {
    ...(scopes.includes('email') ? { email: user.email } : {}),
    ...(scopes.includes('profile') ? { name: user.name } : {})
  }
}

export class UiSteps {
  private readonly deps: HandlerDeps
  private readonly adminUrl: string

  constructor (deps: HandlerDeps, adminUrl: string) {
    this.deps = deps
    this.adminUrl = adminUrl
  }

  private demo (): { demoAccount?: { email: string, password: string } } {
    return this.deps.users.demoAccount === undefined ? {} : { demoAccount: this.deps.users.demoAccount }
  }

  /** The CSRF check every POST passes first. */
  private guard (kind: Kind, input: StepInput): Outcome | undefined {
    return csrfFailure(kind, input.challenge, this.deps.csrf.check(input.presentedCookie, input.challenge, input.form.get(CSRF_FIELD) ?? undefined))
  }

  private async run (kind: Kind, step: () => Promise<Outcome>): Promise<Outcome> {
    try {
      return await step()
    } catch (error) {
      return failurePage(error, kind, this.adminUrl)
    }
  }

  async showLogin (input: StepInput): Promise<Outcome> {
    return await this.run('login', async () => {
      const exchange = await this.deps.admin.get<LoginRequest>('login', input.challenge)
      const request = exchange.body
      // An authenticated, remembered session exists: Warden only needs the subject confirmed (no form).
      if (request.skip) {
        const accepted = await this.deps.admin.accept('login', input.challenge, { subject: request.subject })
        return redirect(accepted.body.redirect_to, 302)
      }
      const email = request.oidc_context?.login_hint ?? ''
      return page(200, loginPage({ request, exchange, csrfToken: this.deps.csrf.token(input.csrfCookie, input.challenge), email, isRemembered: false, ...this.demo() }))
    })
  }

  async submitLogin (input: StepInput): Promise<Outcome> {
    const refused = this.guard('login', input)
    if (refused !== undefined) return refused
    return await this.run('login', async () => {
      if (input.form.get('action') === 'reject') {
        const rejected = await this.deps.admin.reject('login', input.challenge, DENIED)
        return redirect(rejected.body?.redirect_to ?? '/')
      }
      const email = input.form.get('email') ?? ''
      const isRemembered = input.form.get('remember') === '1'
      const user = await this.deps.users.authenticate(email, input.form.get('password') ?? '')
      if (user === undefined) {
        // Wrong credentials: the same form again, with the email and "remember me" kept.
        const exchange = await this.deps.admin.get<LoginRequest>('login', input.challenge)
        return page(401, loginPage({
          request: exchange.body, exchange, csrfToken: this.deps.csrf.token(input.csrfCookie, input.challenge),
          email, isRemembered, error: 'The email address or password is incorrect. Please try again.', ...this.demo()
        }))
      }
      const accepted = await this.deps.admin.accept('login', input.challenge, {
        subject: user.subject,
        remember: isRemembered,
        remember_for: isRemembered ? this.deps.rememberForSeconds : 0,
        context: { email: user.email }
      })
      return redirect(accepted.body.redirect_to)
    })
  }

  private acceptConsent (request: ConsentRequest, scopes: string[], audiences: string[], isRemembered: boolean): Promise<Exchange<{ redirect_to: string }>> {
    const user = request.subject === undefined ? undefined : this.deps.users.findBySubject(request.subject)
    return this.deps.admin.accept('consent', request.challenge, {
      grant_scope: scopes,
      grant_access_token_audience: audiences,
      remember: isRemembered,
      remember_for: isRemembered ? this.deps.rememberForSeconds : 0,
      session: { id_token: user === undefined ? {} : profileClaims(user, scopes), access_token: {} }
    })
  }

  async showConsent (input: StepInput): Promise<Outcome> {
    return await this.run('consent', async () => {
      const exchange = await this.deps.admin.get<ConsentRequest>('consent', input.challenge)
      const request = { ...exchange.body, challenge: input.challenge }
      // A remembered decision covers this request, or the client is trusted first-party: no screen.
      if (request.skip === true || request.client?.skip_consent === true) {
        const accepted = await this.acceptConsent(request, request.requested_scope ?? [], request.requested_access_token_audience ?? [], false)
        return redirect(accepted.body.redirect_to, 302)
      }
      return page(200, consentPage({ request, exchange, csrfToken: this.deps.csrf.token(input.csrfCookie, input.challenge) }))
    })
  }

  async submitConsent (input: StepInput): Promise<Outcome> {
    const refused = this.guard('consent', input)
    if (refused !== undefined) return refused
    return await this.run('consent', async () => {
      if (input.form.get('action') === 'reject') {
        const rejected = await this.deps.admin.reject('consent', input.challenge, DENIED)
        return redirect(rejected.body?.redirect_to ?? '/')
      }
      const { body } = await this.deps.admin.get<ConsentRequest>('consent', input.challenge)
      const request = { ...body, challenge: input.challenge }
      // Only what was asked for can be granted, whatever the form claims.
      const scopes = input.form.getAll('grant_scope').filter((scope) => (request.requested_scope ?? []).includes(scope))
      const audiences = input.form.getAll('grant_audience').filter((aud) => (request.requested_access_token_audience ?? []).includes(aud))
      const accepted = await this.acceptConsent(request, scopes, audiences, input.form.get('remember') === '1')
      return redirect(accepted.body.redirect_to)
    })
  }

  async showLogout (input: StepInput): Promise<Outcome> {
    return await this.run('logout', async () => {
      const exchange = await this.deps.admin.get<LogoutRequest>('logout', input.challenge)
      const request = { ...exchange.body, challenge: input.challenge }
      // The client asked for logout and is trusted not to need a confirmation (Hydra's skip_logout_consent).
      if (request.rp_initiated === true && request.client?.skip_logout_consent === true) {
        return redirect((await this.deps.admin.accept('logout', input.challenge)).body.redirect_to, 302)
      }
      return page(200, logoutPage(request, exchange, this.deps.csrf.token(input.csrfCookie, input.challenge)))
    })
  }

  async submitLogout (input: StepInput): Promise<Outcome> {
    const refused = this.guard('logout', input)
    if (refused !== undefined) return refused
    return await this.run('logout', async () => {
      if (input.form.get('action') === 'reject') {
        return page(200, stillSignedInPage(await this.deps.admin.reject('logout', input.challenge)))
      }
      const accepted = await this.deps.admin.accept('logout', input.challenge)
      return redirect(accepted.body.redirect_to)
    })
  }
}

export const missingChallenge = (kind: Kind): Outcome => page(400, errorPage({
  title: 'Nothing to do here yet',
  message: `This page expects a ${kind}_challenge parameter. Warden adds it when an application starts a flow; open the application instead.`,
  steps: [html`Applications send the browser to Warden's <code>/oauth2/auth</code>; Warden then redirects here with the challenge.`]
}))
