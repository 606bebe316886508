// The built-in fallback pages under /oauth2/fallbacks/*: what an operator sees before configuring the UI URLs.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../http/route-module.js'
import { escapeHtml } from './browser-outcome.js'

// No scripts, no inline styles, nothing loaded from anywhere: the pages are plain text in semantic HTML.
const CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

type QueryRequest = FastifyRequest<{ Querystring: Record<string, string | string[] | undefined> }>

function text (value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? ''
}

function page (title: string, paragraphs: string[]): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n')}
</main>
</body>
</html>`
}

async function send (reply: FastifyReply, status: number, html: string): Promise<FastifyReply> {
  return await reply.code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .send(html)
}

function missingUi (what: string, key: string, parameter: string): string {
  return page(`The ${what} provider is not set up`, [
    `Warden has no ${what} user interface of its own. It sent the browser here because the configuration key <code>${key}</code> is not set.`,
    `Set <code>${key}</code> to the URL of your ${what} app. That app receives the <code>${parameter}</code> query parameter and accepts or rejects it through the admin API (see docs/flows.md).`
  ])
}

export function fallbacksPublicRoutes (): RouteRegistrar {
  return (app) => {
    // Status 500 like Hydra: reaching this page means the flow failed and no client redirect URI could be trusted.
    app.get('/oauth2/fallbacks/error', async function fallbackError (request: QueryRequest, reply: FastifyReply) {
      const error = text(request.query.error)
      const description = text(request.query.error_description)
      const hint = text(request.query.error_hint)
      const paragraphs = [
        `<strong>${escapeHtml(error === '' ? 'unknown error' : error)}</strong>`,
        ...(description === '' ? [] : [escapeHtml(description)]),
        ...(hint === '' ? [] : [escapeHtml(hint)]),
        'This is the default error page. Set the configuration key <code>urls.error</code> to show your own.'
      ]
      return await send(reply, 500, page('An error occurred', paragraphs))
    })
    app.get('/oauth2/fallbacks/login', async function fallbackLogin (_request: QueryRequest, reply: FastifyReply) {
      return await send(reply, 500, missingUi('login', 'urls.login', 'login_challenge'))
    })
    app.get('/oauth2/fallbacks/consent', async function fallbackConsent (_request: QueryRequest, reply: FastifyReply) {
      return await send(reply, 500, missingUi('consent', 'urls.consent', 'consent_challenge'))
    })
    app.get('/oauth2/fallbacks/logout', async function fallbackLogout (_request: QueryRequest, reply: FastifyReply) {
      return await send(reply, 500, missingUi('logout', 'urls.logout', 'logout_challenge'))
    })
    app.get('/oauth2/fallbacks/logout/callback', async function fallbackLogoutCallback (_request: QueryRequest, reply: FastifyReply) {
      return await send(reply, 200, page('You have been logged out', [
        'Your session has ended. You can close this window.',
        'This is the default page after logout. Set the configuration key <code>urls.post_logout_redirect</code> to show your own.'
      ]))
    })
  }
}
