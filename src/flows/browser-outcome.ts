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

/** CSP source for a frame URL: its origin, or its scheme when it has no origin of its own. */
function frameSource (url: string): string {
  const parsed = new URL(url)
  return parsed.origin === 'null' ? parsed.protocol : parsed.origin
}

/**
 * OIDC Front-Channel Logout 1.0 §3, as Hydra renders it: every URL in a hidden iframe, and the browser moves on
 * half a second after the last one loaded, or after 7 s at the latest (a meta refresh does that without
 * JavaScript). The CSP allows exactly the script (by nonce) and frames from those origins.
 */
export function frontChannelLogoutPage (urls: readonly string[], redirectTo: string, cookies: string[]): BrowserOutcome {
  const nonce = randomBase64Url(16)
  const frames = urls.map((url) => `<iframe src="${escapeHtml(url)}" hidden title="logout"></iframe>`).join('\n')
  const target = JSON.stringify(redirectTo).replace(/</g, '\\u003c')
  const body = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="7;url=${escapeHtml(redirectTo)}"><title>Logging out</title></head>
<body>
<noscript><p>JavaScript is disabled: you will be redirected in a few seconds, or <a href="${escapeHtml(redirectTo)}">continue now</a>.</p></noscript>
<p id="slow" hidden>Redirection takes unusually long. <a href="${escapeHtml(redirectTo)}">Continue</a></p>
${frames}
<script nonce="${nonce}">
(function () {
  var target = ${target}, left = ${urls.length}, moved = false
  function go () { if (!moved) { moved = true; window.location.replace(target) } }
  Array.prototype.forEach.call(document.querySelectorAll('iframe'), function (frame) {
    frame.addEventListener('load', function () { if (--left < 1) setTimeout(go, 500) })
  })
  setTimeout(go, 7000)
  setTimeout(function () { document.getElementById('slow').hidden = false }, 2000)
}())
</script>
</body></html>`
  const frameSrc = [...new Set(urls.map(frameSource))].join(' ')
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; frame-src ${frameSrc}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
  return { kind: 'html', status: 200, body, cookies, contentSecurityPolicy: csp }
}
