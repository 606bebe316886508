// Server-rendered pages of the reference UI: one layout, then one function per page. No scripts, no inline styles.
import type { ConsentRequest, Exchange, LoginRequest, LogoutRequest, OAuth2Client } from './admin-api.js'
import { CSRF_FIELD } from './csrf.js'
import { html, raw, type Html } from './html.js'

export interface Teaching {
  /** What happened before this page, step by step (trusted markup written in this folder). */
  steps: Html[]
  exchange?: Exchange<unknown>
}

function pretty (exchange: Exchange<unknown>): string {
  // Indented for reading; the content is the admin API's answer unchanged.
  try { return JSON.stringify(JSON.parse(exchange.text), null, 2) } catch { return exchange.text }
}

function teachingPanel (teaching: Teaching | undefined): Html {
  if (teaching === undefined) return html``
  const { exchange } = teaching
  return html`
<details class="teach">
  <summary>What just happened?</summary>
  <ol>${teaching.steps.map((step) => html`<li>${step}</li>`)}</ol>
  ${exchange === undefined
    ? ''
    : html`<p>The admin API answered <code>${exchange.method} ${exchange.path.split('?')[0]}</code> with HTTP ${exchange.status}:</p>
  <pre><code>${pretty(exchange)}</code></pre>`}
</details>`
}

export function layout (title: string, body: Html, teaching?: Teaching): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Warden</title>
<link rel="stylesheet" href="/ui.css">
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="brand"><strong>WARDEN</strong> · reference login app</header>
<main id="content">
<div class="card">
${body}
</div>
${teachingPanel(teaching)}
</main>
<footer>This demo app ships with Warden and talks to it only through the admin API. Replace it with your own
by setting <code>urls.login</code>, <code>urls.consent</code> and <code>urls.logout</code>.</footer>
</body>
</html>
`.text
}

export const clientName = (client: OAuth2Client | null | undefined): string =>
  client === undefined || client === null ? 'this server' : (client.client_name ?? '') !== '' ? (client.client_name as string) : client.client_id

const hidden = (name: string, value: string): Html => html`<input type="hidden" name="${name}" value="${value}">`

export interface LoginForm {
  request: LoginRequest
  exchange: Exchange<unknown>
  csrfToken: string
  email: string
  isRemembered: boolean
  error?: string
  /** The built-in demo account, shown only while no users file replaces it. */
  demoAccount?: { email: string, password: string }
}

export function loginPage (form: LoginForm): string {
  const { request } = form
  const body = html`
<h1>Sign in</h1>
<p class="lead">to continue to <strong>${clientName(request.client)}</strong></p>
${form.error === undefined ? '' : html`<p class="alert" role="alert" id="login-error">${form.error}</p>`}
<form method="post" action="/login" novalidate>
  ${hidden('challenge', request.challenge)}${hidden(CSRF_FIELD, form.csrfToken)}
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${form.email}"
    ${form.error === undefined ? raw('autofocus') : raw('aria-describedby="login-error"')}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required
    ${form.error === undefined ? '' : raw('autofocus aria-invalid="true" aria-describedby="login-error"')}>
  <label class="check"><input type="checkbox" name="remember" value="1"${form.isRemembered ? raw(' checked') : ''}> Remember me on this device</label>
  <div class="actions">
    <button type="submit" name="action" value="accept">Sign in</button>
    <button type="submit" name="action" value="reject" class="secondary" formnovalidate>Cancel</button>
  </div>
</form>
${form.demoAccount === undefined ? '' : html`<p class="hint">Demo account: <code>${form.demoAccount.email}</code> / <code>${form.demoAccount.password}</code></p>`}`
  return layout('Sign in', body, {
    steps: [
      html`An application sent your browser to Warden's <code>/oauth2/auth</code>.`,
      html`Warden does not know users, so it redirected here with a <code>login_challenge</code> (configured by <code>urls.login</code>).`,
      html`This app asked Warden's admin API about that challenge (below). On "Sign in" it checks your password against its own user list and calls <code>PUT …/login/accept</code> with your <code>subject</code>, then sends your browser back to the <code>redirect_to</code> URL Warden returns.`
    ],
    exchange: form.exchange
  })
}

export interface ConsentForm {
  request: ConsentRequest
  exchange: Exchange<unknown>
  csrfToken: string
}

const SCOPE_TEXT: Readonly<Record<string, string>> = {
  openid: 'Confirm who you are (sign you in)',
  offline: 'Stay connected when you are not using it (a refresh token)',
  offline_access: 'Stay connected when you are not using it (a refresh token)',
  email: 'Your email address',
  profile: 'Your name and profile'
}

export function consentPage (form: ConsentForm): string {
  const { request } = form
  const scopes = request.requested_scope ?? []
  const audiences = request.requested_access_token_audience ?? []
  const checkbox = (name: string, value: string, index: number, note: string | undefined): Html => html`
  <label class="check" for="${name}-${index}"><input id="${name}-${index}" type="checkbox" name="${name}" value="${value}" checked>
    <span><code>${value}</code>${note === undefined ? '' : html` <small>${note}</small>`}</span></label>`
  const body = html`
<h1>Allow access?</h1>
<p class="lead"><strong>${clientName(request.client)}</strong> wants access to your account${request.subject === undefined ? '' : html` <strong>${request.subject}</strong>`}.</p>
<form method="post" action="/consent">
  ${hidden('challenge', request.challenge)}${hidden(CSRF_FIELD, form.csrfToken)}
  ${scopes.length === 0
    ? html`<p>No scopes were requested.</p>`
    : html`<fieldset><legend>Permissions (scopes)</legend>${scopes.map((scope, index) => checkbox('grant_scope', scope, index, SCOPE_TEXT[scope]))}</fieldset>`}
  ${audiences.length === 0
    ? ''
    : html`<fieldset><legend>APIs it may call (audience)</legend>${audiences.map((audience, index) => checkbox('grant_audience', audience, index, undefined))}</fieldset>`}
  <label class="check"><input type="checkbox" name="remember" value="1"> Remember this decision</label>
  <div class="actions">
    <button type="submit" name="action" value="accept">Allow</button>
    <button type="submit" name="action" value="reject" class="secondary">Deny</button>
  </div>
</form>
<p class="hint">Uncheck anything you do not want to share. Unchecked scopes are not granted.</p>`
  return layout('Allow access', body, {
    steps: [
      html`You signed in; Warden checked the login verifier and redirected here with a <code>consent_challenge</code> (<code>urls.consent</code>).`,
      html`This app read the consent request (below): the scopes and audience the client asked for. Had it set <code>skip</code> (a remembered decision) or <code>client.skip_consent</code>, the app would have accepted at once without showing this page.`,
      html`"Allow" calls <code>PUT …/consent/accept</code> with <code>grant_scope</code>, <code>grant_access_token_audience</code> and <code>session.id_token</code> claims (<code>email</code> if the email scope is granted, <code>name</code> with profile); Warden then issues the authorization code to the client.`
    ],
    exchange: form.exchange
  })
}

export function logoutPage (request: LogoutRequest, exchange: Exchange<unknown>, csrfToken: string): string {
  const body = html`
<h1>Sign out?</h1>
<p class="lead">${request.subject === undefined || request.subject === '' ? 'You' : html`<strong>${request.subject}</strong>, you`} will be signed out of Warden${request.rp_initiated === true ? html`, as <strong>${clientName(request.client)}</strong> asked` : ''}.</p>
<form method="post" action="/logout">
  ${hidden('challenge', request.challenge)}${hidden(CSRF_FIELD, csrfToken)}
  <div class="actions">
    <button type="submit" name="action" value="accept" autofocus>Yes, sign me out</button>
    <button type="submit" name="action" value="reject" class="secondary">No, stay signed in</button>
  </div>
</form>`
  return layout('Sign out', body, {
    steps: [
      html`Something sent your browser to Warden's <code>/oauth2/sessions/logout</code>.`,
      html`Warden redirected here with a <code>logout_challenge</code> (<code>urls.logout</code>); this app read the request (below).`,
      html`"Yes" calls <code>PUT …/logout/accept</code>; Warden ends the session, notifies the clients and redirects to the post-logout URL. "No" calls <code>PUT …/logout/reject</code> and nothing changes.`
    ],
    exchange
  })
}

export function stillSignedInPage (exchange: Exchange<unknown>): string {
  return layout('Still signed in', html`<h1>You are still signed in</h1><p class="lead">Nothing was changed. You can close this page.</p>`, {
    steps: [html`You chose to stay signed in, so this app called <code>PUT …/logout/reject</code>; Warden answers 204 and leaves the session alone.`],
    exchange
  })
}

export interface ErrorView {
  title: string
  message: string
  /** A link that retries, when there is one. */
  retry?: { href: string, label: string }
  exchange?: Exchange<unknown>
  steps?: Html[]
}

export function errorPage (view: ErrorView): string {
  const body = html`
<h1>${view.title}</h1>
<p class="alert" role="alert">${view.message}</p>
${view.retry === undefined ? '' : html`<div class="actions"><a class="button" href="${view.retry.href}">${view.retry.label}</a></div>`}`
  return layout(view.title, body, view.exchange === undefined && view.steps === undefined ? undefined : { steps: view.steps ?? [], exchange: view.exchange })
}

export function homePage (publicUrl: string | undefined): string {
  const body = html`
<h1>Warden's login app</h1>
<p class="lead">This app signs users in and asks for their consent on Warden's behalf. You do not open it directly: an
application sends you to Warden, and Warden sends you here.</p>
<dl class="facts"><dt>Sign in</dt><dd><code>/login</code></dd><dt>Consent</dt><dd><code>/consent</code></dd><dt>Sign out</dt><dd><code>/logout</code></dd></dl>
${publicUrl === undefined ? '' : html`<div class="actions"><a class="button secondary" href="${new URL('oauth2/sessions/logout', publicUrl).toString()}">Sign out of Warden</a></div>`}`
  return layout('Login app', body)
}

export function signedOutPage (): string {
  return layout('Signed out', html`<h1>You are signed out</h1><p class="lead">Warden ended your session. You can close this page.</p>`, {
    steps: [
      html`After <code>PUT …/logout/accept</code>, Warden deleted the login session, notified the clients that take part in front- or back-channel logout, and redirected here.`,
      html`This page is <code>urls.post_logout_redirect</code>, which the bundled UI sets in dev mode when it is not configured. A client that sends <code>post_logout_redirect_uri</code> gets the browser back instead.`
    ]
  })
}
