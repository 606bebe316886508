// `warden perform authorization-code`: runs the code flow with PKCE through a browser and a local callback server.
//
//   1. print (and open) <public>/oauth2/auth?response_type=code&...&state&nonce&code_challenge   (stderr)
//   2. the browser signs in and consents, then returns to http://127.0.0.1:<port>/callback?code&state
//   3. check state, POST /oauth2/token with the code and the PKCE verifier, verify the ID token (signature, nonce)
//   4. print the tokens and the ID token claims (stdout), show them in the browser, exit
import { spawn } from 'node:child_process'
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Command } from 'commander'
import { createSelfSignedCertificate } from '../../lib/x509.js'
import { printJson, processIo, verbCommand, type CliIo } from '../admin-client.js'
import { CliError } from '../cli-error.js'
import { CALLBACK_PAGE_CSP, failurePage, tokensPage } from '../callback-page.js'
import { addClientOptions, clientCredentials, listOf, postForm, printTokens, publicBase, type ClientOptions, type TokenResponse } from '../oauth2-endpoint.js'

interface Options extends ClientOptions {
  port: string
  redirect?: string
  scope: string
  audience?: string
  prompt?: string
  maxAge?: string
  https?: boolean
  open: boolean
  authUrl?: string
  tokenUrl?: string
}

const base64Url = (bytes: Buffer): string => bytes.toString('base64url')

interface Flow { authorizationUrl: URL, redirect: URL, state: string, nonce: string, verifier: string }

function buildFlow (options: Options, io: CliIo, clientId: string): Flow {
  const port = Number(options.port)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError(`--port must be a TCP port, got "${options.port}"`)
  const redirect = new URL(options.redirect ?? `${options.https === true ? 'https' : 'http'}://127.0.0.1:${port}/callback`)
  const verifier = base64Url(randomBytes(32))
  const state = base64Url(randomBytes(16))
  const nonce = base64Url(randomBytes(16))
  const authorizationUrl = new URL(options.authUrl ?? new URL('oauth2/auth', publicBase(options, io.env)).toString())
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirect.toString(),
    scope: listOf(options.scope).join(' '),
    state,
    nonce,
    code_challenge: base64Url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256'
  }
  const audiences = listOf(options.audience)
  if (audiences.length > 0) params.audience = audiences.join(' ')
  if (options.prompt !== undefined) params.prompt = listOf(options.prompt).join(' ')
  if (options.maxAge !== undefined) params.max_age = options.maxAge
  for (const [name, value] of Object.entries(params)) authorizationUrl.searchParams.set(name, value)
  return { authorizationUrl, redirect, state, nonce, verifier }
}

function openBrowser (url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]]
  try {
    const child = spawn(command as string, args as string[], { detached: true, stdio: 'ignore' })
    child.on('error', () => {})
    child.unref()
  } catch { /* no browser opener: the URL is printed anyway */ }
}

/** A spinner on a terminal, one line otherwise (logs and tests). Returns the function that stops it. */
function progress (io: CliIo, text: string): () => void {
  const isTty = (io.stderr as { isTTY?: boolean }).isTTY === true
  if (!isTty) { io.stderr.write(`${text}\n`); return () => {} }
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
  let index = 0
  const timer = setInterval(() => { io.stderr.write(`\r${frames[index++ % frames.length] ?? ''} ${text}`) }, 100)
  return () => { clearInterval(timer); io.stderr.write('\r\u001b[2K') }
}

function createCallbackServer (isHttps: boolean, hostname: string, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  if (!isHttps) return createHttpServer(handler)
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const now = Date.now()
  const cert = createSelfSignedCertificate({
    privateKey, publicKey, commonName: hostname, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'],
    notBefore: new Date(now - 60_000), notAfter: new Date(now + 24 * 3600_000)
  })
  return createHttpsServer({ cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, handler)
}

function sendHtml (res: ServerResponse, status: number, html: string): Promise<void> {
  return new Promise((resolve) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CALLBACK_PAGE_CSP, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
    res.end(html, () => resolve())
  })
}

interface Result { tokens: TokenResponse, claims: Record<string, unknown> | undefined }

async function exchange (options: Options, io: CliIo, flow: Flow, code: string): Promise<Result> {
  const client = clientCredentials(options, io.env, false)
  const tokenUrl = new URL(options.tokenUrl ?? new URL('oauth2/token', publicBase(options, io.env)).toString())
  const { body } = await postForm(tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: flow.redirect.toString(), code_verifier: flow.verifier }, client)
  const tokens = body as TokenResponse
  if (tokens.id_token === undefined) return { tokens, claims: undefined }
  // jose is imported only for this step, not each time the CLI starts.
  const { createRemoteJWKSet, jwtVerify } = await import('jose')
  const jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', publicBase(options, io.env)))
  try {
    const { payload } = await jwtVerify(tokens.id_token, jwks, { audience: client.id })
    if (payload.nonce !== flow.nonce) throw new Error('its nonce is not the one this command sent')
    return { tokens, claims: payload }
  } catch (error) {
    throw new CliError(`the ID token failed verification: ${(error as Error).message}`)
  }
}

async function run (options: Options, io: CliIo): Promise<void> {
  const clientId = clientCredentials(options, io.env, false).id
  const flow = buildFlow(options, io, clientId)
  const callbackPath = flow.redirect.pathname
  let settle: { resolve: (result: Result) => void, reject: (error: unknown) => void } | undefined
  const done = new Promise<Result>((resolve, reject) => { settle = { resolve, reject } })
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', flow.redirect)
    if (url.pathname === '/' && callbackPath !== '/') { res.writeHead(302, { location: flow.authorizationUrl.toString() }).end(); return }
    if (url.pathname !== callbackPath) { void sendHtml(res, 404, failurePage('Not found', 'This page belongs to `warden perform authorization-code`; nothing here.')); return }
    const error = url.searchParams.get('error')
    if (error !== null) {
      const description = url.searchParams.get('error_description') ?? ''
      void sendHtml(res, 400, failurePage('The authorization failed', `${error}: ${description}`)).then(() => settle?.reject(new CliError(`the authorization failed: ${error}${description === '' ? '' : `: ${description}`}`)))
      return
    }
    if (url.searchParams.get('state') !== flow.state) {
      void sendHtml(res, 400, failurePage('State mismatch', 'The state parameter does not match the one this command sent; the response was not for this flow.'))
      return
    }
    const code = url.searchParams.get('code') ?? ''
    exchange(options, io, flow, code).then(async (result) => {
      const logoutUrl = result.tokens.id_token === undefined ? undefined : `${new URL('oauth2/sessions/logout', publicBase(options, io.env)).toString()}?id_token_hint=${encodeURIComponent(result.tokens.id_token)}`
      await sendHtml(res, 200, tokensPage(result.tokens, result.claims, logoutUrl))
      settle?.resolve(result)
    }, async (failure: unknown) => {
      await sendHtml(res, 502, failurePage('The code exchange failed', (failure as Error).message))
      settle?.reject(failure)
    })
  }
  const isLoopback = ['127.0.0.1', 'localhost', '[::1]'].includes(flow.redirect.hostname)
  const server = createCallbackServer(flow.redirect.protocol === 'https:', flow.redirect.hostname, handler)
  const port = Number(flow.redirect.port === '' ? (flow.redirect.protocol === 'https:' ? 443 : 80) : flow.redirect.port)
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new CliError(`port ${port} for the callback server is already in use; pick another with --port (and register its redirect URI with the client)`) : error)
    })
    server.listen(port, isLoopback ? flow.redirect.hostname.replace(/^\[|\]$/g, '') : undefined, () => resolve())
  })
  io.stderr.write(`Open this URL in your browser to sign in and grant access (redirect URI ${flow.redirect.toString()}):\n\n  ${flow.authorizationUrl.toString()}\n\n`)
  if (options.open) openBrowser(flow.authorizationUrl.toString())
  const stop = progress(io, `Waiting for the browser to come back to ${flow.redirect.toString()} … (Ctrl+C to stop)`)
  try {
    const result = await done
    stop()
    if (options.format === 'table') {
      printTokens(io, 'table', result.tokens)
      if (result.claims !== undefined) io.stdout.write(`\nID TOKEN CLAIMS\n${JSON.stringify(result.claims, null, 2)}\n`)
    } else {
      printJson(io, { ...result.tokens, ...(result.claims === undefined ? {} : { id_token_claims: result.claims }) }, options.format)
    }
  } finally {
    stop()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

export function registerPerformAuthorizationCodeCommand (program: Command, io: CliIo = processIo): void {
  const command = verbCommand(program, 'perform', 'Perform OAuth 2.0 flows').command('authorization-code')
    .description('Run the OAuth 2.0 authorization code flow (with PKCE) in a browser and print the tokens')
    .option('--port <port>', 'port of the local callback server', '4446')
    .option('--redirect <url>', 'redirect URI (must be registered with the client); default http://127.0.0.1:<port>/callback')
    .option('--scope <scopes>', 'scopes to request, comma separated', 'offline,openid')
    .option('--audience <audiences>', 'audiences to request, comma separated')
    .option('--prompt <values>', 'OpenID Connect prompt: none, login, consent, select_account (comma separated)')
    .option('--max-age <seconds>', 'OpenID Connect max_age: the maximum age of the login session, in seconds')
    .option('--https', 'serve the callback over HTTPS with a self-signed certificate')
    .option('--no-open', 'do not open the authorization URL in a browser (it is printed either way)')
    .option('--auth-url <url>', 'authorization endpoint; default <endpoint>/oauth2/auth')
    .option('--token-url <url>', 'token endpoint; default <endpoint>/oauth2/token')
  addClientOptions(command)
  command.action(async (options: Options) => { await run(options, io) })
}
