// The page `perform authorization-code` shows in the browser once tokens arrive (or the flow failed).
import { createHash } from 'node:crypto'

const STYLE = `body{font:1rem/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d2330;background:#f4f5f7}
h1{font-size:1.5rem}section{background:#fff;border:1px solid #d9dde5;border-radius:12px;padding:1rem 1.5rem;margin:1rem 0}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f0f2f6;padding:.75rem;border-radius:8px;font-size:.8125rem}
.error{border-color:#b42318;color:#b42318}a{color:#2f5bd3;font-weight:600}`

// The style is allowed by its hash, so the page needs neither 'unsafe-inline' nor a second request.
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64')
export const CALLBACK_PAGE_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function page (title: string, sections: string[]): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escape(title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escape(title)}</h1>
${sections.join('\n')}
</main></body></html>`
}

const block = (label: string, value: string): string => `<section><h2>${escape(label)}</h2><pre><code>${escape(value)}</code></pre></section>`

export function tokensPage (tokens: { access_token?: string, refresh_token?: string, id_token?: string, scope?: string }, claims: unknown, logoutUrl: string | undefined): string {
  return page('Tokens received', [
    '<p>The authorization code was exchanged for the tokens below; they are also printed in your terminal. You can close this tab.</p>',
    block('Access token', tokens.access_token ?? '(none)'),
    block('Refresh token', tokens.refresh_token ?? '(none: request the offline scope)'),
    block('ID token', tokens.id_token ?? '(none: request the openid scope)'),
    ...(claims === undefined ? [] : [block('ID token claims', JSON.stringify(claims, null, 2))]),
    block('Granted scope', tokens.scope ?? ''),
    ...(logoutUrl === undefined ? [] : [`<p><a href="${escape(logoutUrl)}">Sign out of Warden</a></p>`])
  ])
}

export function failurePage (title: string, message: string): string {
  return page(title, [`<section class="error"><p>${escape(message)}</p></section>`])
}
