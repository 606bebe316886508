// The process logger: formats, levels and redaction of sensitive values (and leaking them when configured).
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { testConfig } from '../../test/support/start-servers.js'
import { buildPublicApp } from '../http/public-app.js'
import { createHttpMetrics } from '../http/plugins/metrics.js'
import { createLogger, formatTextEntry, type LogConfig } from './logger.js'

const SECRETS = ['Bearer-abc123', 'session=cookie-value-42', 'set-cookie-value-7', 'client-secret-xyz', 'verifier-555',
  'challenge-777', 'login-challenge-888', 'the-code-999', 'hunter2', 'refresh-token-111', 'assertion-eyJ']

function capture (overrides: Partial<LogConfig> = {}): { lines: string[], config: LogConfig } {
  const lines: string[] = []
  const config: LogConfig = { level: 'info', format: 'json', leak_sensitive_values: false, redaction_text: '[redacted]', ...overrides }
  const logger = createLogger(config, { destination: { write: (line) => lines.push(line) } })
  logger.info({
    headers: { authorization: 'Bearer-abc123', cookie: 'session=cookie-value-42', 'Set-Cookie': ['set-cookie-value-7'], accept: 'text/html' },
    body: { client_secret: 'client-secret-xyz', code_verifier: 'verifier-555', code_challenge: 'challenge-777', password: 'hunter2', client_id: 'visible-client' },
    url: '/oauth2/auth?login_challenge=login-challenge-888&client_id=c1',
    nested: [{ code: 'the-code-999', refresh_token: 'refresh-token-111', client_assertion: 'assertion-eyJ' }]
  }, 'request details')
  return { lines, config }
}

describe('redaction', () => {
  test('secrets, tokens, challenges, cookies, authorization and query values are replaced', () => {
    const { lines } = capture()
    const text = lines.join('')
    for (const secret of SECRETS) assert.equal(text.includes(secret), false, secret)
    const entry = JSON.parse(lines[0] as string) as Record<string, any>
    assert.equal(entry.headers.authorization, '[redacted]')
    assert.equal(entry.headers.accept, 'text/html')
    assert.equal(entry.body.client_id, 'visible-client')
    assert.equal(entry.url, '/oauth2/auth?login_challenge=%5Bredacted%5D&client_id=%5Bredacted%5D')
  })

  test('log.leak_sensitive_values: true logs everything verbatim', () => {
    const text = capture({ leak_sensitive_values: true }).lines.join('')
    for (const secret of SECRETS) assert.equal(text.includes(secret), true, secret)
  })

  test('child logger bindings are redacted too', () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'info', format: 'json', leak_sensitive_values: false, redaction_text: 'X' }, { destination: { write: (line) => lines.push(line) } })
    logger.child({ access_token: 'tok-123' }).info('hello')
    assert.equal(lines.join('').includes('tok-123'), false)
  })

  test('the request log of a listener does not leak query values or cookies', async () => {
    const lines: string[] = []
    const config = testConfig()
    const logger = createLogger(config.log, { destination: { write: (line) => lines.push(line) } })
    const app = buildPublicApp({ config, logger, readiness: { check: async () => ({}) }, metrics: createHttpMetrics({ version: 'v', isCollectingProcessMetrics: false }), version: 'v' }, [])
    try {
      await app.inject({ url: '/oauth2/auth?code=the-code-999&state=st4te', headers: { cookie: 'session=cookie-value-42', authorization: 'Bearer-abc123' } })
    } finally {
      await app.close()
    }
    const text = lines.join('')
    assert.match(text, /\/oauth2\/auth\?code=/)
    for (const secret of ['the-code-999', 'st4te', 'cookie-value-42', 'Bearer-abc123']) assert.equal(text.includes(secret), false, secret)
  })
})

describe('formats and levels', () => {
  test('text lines read "time LEVEL msg key=value"', () => {
    const line = formatTextEntry({ level: 'info', time: '2026-01-01T00:00:00.000Z', msg: 'started', port: 4444, host: 'a b' })
    assert.equal(line, '2026-01-01T00:00:00.000Z INFO started port=4444 host="a b"\n')
    const { lines } = capture({ format: 'text' })
    assert.match(lines[0] as string, /^\d{4}-\d\d-\d\dT\S+ INFO request details headers=\{/)
  })

  test('json_pretty indents, and levels below the configured one are dropped', () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'warn', format: 'json_pretty', leak_sensitive_values: false, redaction_text: 'x' }, { destination: { write: (line) => lines.push(line) } })
    logger.info('hidden')
    logger.warn({ a: 1 }, 'shown')
    assert.equal(lines.length, 1)
    assert.match(lines[0] as string, /^\{\n {2}"level": "warn"/)
  })

  test('panic maps to fatal', () => {
    const logger = createLogger({ level: 'panic', format: 'json', leak_sensitive_values: false, redaction_text: 'x' }, { destination: { write: () => undefined } })
    assert.equal(logger.level, 'fatal')
  })
})
