// What a browser-facing flow step answers: a redirect or a small HTML page, plus cookies; routes only serialise it.
import { randomBase64Url } from '../lib/random.js'
import type { ResponseMode } from './authorize-request.js'

export type BrowserOutcome =
  | { kind: 'redirect', status: 302 | 303, location: string, cookies: string[] }
  | { kind: 'html', status: number, body: string, cookies: string[], contentSecurityPolicy: string }

export function redirect (location: string, cookies: string[] = [], status: 302 | 303 = 302): BrowserOutcome {
  return { kind: 'redirect', status, location, cookies }
}

export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/** Appends `params` to `uri`'s query (keeping its own query) or, for fragment mode, to its fragment. */
export function withParams (uri: string, params: Readonly<Record<string, string>>, mode: 'query' | 'fragment' = 'query'): string {
  const url = new URL(uri)
  if (mode === 'fragment') {
    const fragment = new URLSearchParams(params)
    url.hash = fragment.toString()
    return url.toString()
  }
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return url.toString()
}

/**
 * OAuth 2.0 Form Post Response Mode: a form that submits itself. The script is allowed by a per-response CSP
 * nonce; without JavaScript the visible button does the same.
 */
function formPost (uri: string, params: Readonly<Record<string, string>>, cookies: string[]): BrowserOutcome {
  const nonce = randomBase64Url(16)
  const inputs = Object.entries(params)
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`).join('\n')
  const body = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Submit this form</title></head>
<body>
<form method="post" action="${escapeHtml(uri)}" id="response">
${inputs}
<noscript><p>JavaScript is disabled: press the button to continue.</p></noscript>
<button type="submit">Continue</button>
</form>
<script nonce="${nonce}">document.getElementById('response').submit()</script>
</body></html>`
  const origin = new URL(uri).origin
  const formAction = origin === 'null' ? uri : origin
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`
  return { kind: 'html', status: 200, body, cookies, contentSecurityPolicy: csp }
}

/** Delivers response (or error) parameters to the client's redirect URI in its response mode (303 like fosite). */
export function deliver (uri: string, mode: ResponseMode, params: Readonly<Record<string, string>>, cookies: string[] = []): BrowserOutcome {
  if (mode === 'form_post') return formPost(uri, params, cookies)
  return redirect(withParams(uri, params, mode), cookies, 303)
}
