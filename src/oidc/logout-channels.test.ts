// LogoutChannels against a real HTTP receiver: retries as Hydra's client, failures logged, drain at shutdown.
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { after, before, describe, test } from 'node:test'
import type { OAuth2Client } from '../clients/client.js'
import type { Jwk } from '../keys/jwk.js'
import { toSigningKey, verifyJwt } from '../keys/signing.js'
import { ManualClock } from '../lib/clock.js'
import { BACKCHANNEL_LOGOUT_EVENT, LogoutChannels, type LogoutChannelsDeps } from './logout-channels.js'

const key = toSigningKey({ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' } as unknown as Jwk)

interface LogLine { level: 'info' | 'error', fields: Record<string, unknown>, message: string }

describe('LogoutChannels', () => {
  let server: Server
  let base: string
  /** Status codes to answer, in order; 0 = never answer. Then 200. */
  let answers: number[] = []
  const bodies: Array<{ path: string, body: string }> = []
  before(async () => {
    server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk: Buffer) => { body += chunk.toString('utf8') })
      request.on('end', () => {
        bodies.push({ path: request.url ?? '', body })
        const status = answers.shift() ?? 200
        if (status !== 0) response.writeHead(status).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  })
  after(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  function channels (overrides: Partial<LogoutChannelsDeps> = {}): { channels: LogoutChannels, lines: LogLine[] } {
    const lines: LogLine[] = []
    const log = {
      info: (fields: object, message: string) => { lines.push({ level: 'info', fields: fields as Record<string, unknown>, message }) },
      error: (fields: object, message: string) => { lines.push({ level: 'error', fields: fields as Record<string, unknown>, message }) }
    }
    const deps: LogoutChannelsDeps = { issuer: 'https://auth.example.com/', clock: new ManualClock(new Date('2030-01-01T00:00:00Z')), signingKey: async () => key, log, retryDelaysMs: [0, 0], ...overrides }
    return { channels: new LogoutChannels(deps), lines }
  }

  // Only these fields matter to the notifier.
  const client = (id: string, patch: Partial<OAuth2Client>): OAuth2Client => ({ id, frontchannelLogoutUri: '', backchannelLogoutUri: '', ...patch }) as unknown as OAuth2Client
  const ended = (clients: OAuth2Client[]): Parameters<LogoutChannels['sessionEnded']>[0] => ({ sid: 'sid-1', subject: 'alice', clients, identityProviderSessionId: '' })

  test('signs one token per back-channel client and returns front-channel URLs with iss and sid', async () => {
    bodies.length = 0
    const { channels: notifier, lines } = channels()
    const result = await notifier.sessionEnded(ended([
      client('a', { backchannelLogoutUri: `${base}/a`, frontchannelLogoutUri: 'https://a.example.com/fc?x=1' }),
      client('b', { frontchannelLogoutUri: 'not a url' }),
      client('c', {})
    ]))
    assert.deepEqual(result.frontChannelUrls, ['https://a.example.com/fc?x=1&iss=https%3A%2F%2Fauth.example.com%2F&sid=sid-1'])
    await notifier.drain(60_000)
    assert.equal(notifier.inFlight, 0)
    assert.deepEqual(bodies.map((entry) => entry.path), ['/a'])
    const token = new URLSearchParams(bodies[0]?.body).get('logout_token') ?? ''
    const { payload } = await verifyJwt(token, { keys: [key.publicJwk] }, { issuer: 'https://auth.example.com/', audience: 'a', currentDate: new Date('2030-01-01T00:00:00Z') })
    assert.deepEqual(payload.events, { [BACKCHANNEL_LOGOUT_EVENT]: {} })
    assert.equal(payload.iat, Date.parse('2030-01-01T00:00:00Z') / 1000)
    assert.equal(payload.sid, 'sid-1')
    assert.ok(lines.some((line) => line.level === 'error' && line.fields.client_id === 'b'), 'the unparsable front-channel URI is logged')
    assert.ok(lines.some((line) => line.level === 'info' && line.fields.client_id === 'a'))
  })

  test('5xx and 429 are retried twice, other statuses are not; each failure is one error line', async () => {
    bodies.length = 0
    answers = [503, 429, 200, 400, 500, 500, 500]
    const lines: LogLine[] = []
    for (const id of ['retried', 'refused', 'down']) {
      // One notifier each: drain() is the end of a notifier's life (shutdown).
      const one = channels()
      await one.channels.sessionEnded(ended([client(id, { backchannelLogoutUri: `${base}/${id}` })]))
      await one.channels.drain(60_000)
      lines.push(...one.lines)
    }
    assert.deepEqual(bodies.map((entry) => entry.path), ['/retried', '/retried', '/retried', '/refused', '/down', '/down', '/down'])
    const errors = lines.filter((line) => line.level === 'error')
    assert.deepEqual(errors.map((line) => line.fields.client_id), ['refused', 'down'])
    assert.match(String(errors[0]?.fields.reason), /got 400/)
    assert.match(String(errors[1]?.fields.reason), /got 500 \(after 3 attempts\)/)
  })

  test('refused URLs, missing keys and unreachable hosts are logged, never thrown', async () => {
    bodies.length = 0
    const guarded = channels({ checkUrl: async (url) => `${url} is private` })
    await guarded.channels.sessionEnded(ended([client('guarded', { backchannelLogoutUri: `${base}/guarded` })]))
    await guarded.channels.drain(60_000)
    assert.equal(bodies.length, 0)
    assert.match(String(guarded.lines[0]?.fields.reason), /disallow_private_ip_ranges/)

    const keyless = channels({ signingKey: async () => { throw new Error('no key') } })
    assert.deepEqual(await keyless.channels.sessionEnded(ended([client('k', { backchannelLogoutUri: `${base}/k` })])), { frontChannelUrls: [] })
    assert.match(keyless.lines[0]?.message ?? '', /no ID-token signing key/)

    const closedPort = channels()
    await closedPort.channels.sessionEnded(ended([client('gone', { backchannelLogoutUri: 'http://127.0.0.1:1/gone' })]))
    await closedPort.channels.drain(60_000)
    assert.match(String(closedPort.lines[0]?.fields.reason), /after 3 attempts/)
  })

  test('the deadline ends a delivery waiting to retry; the reason is the deadline', async () => {
    bodies.length = 0
    answers = [503]
    const { channels: notifier, lines } = channels({ timeoutMs: 1000, retryDelaysMs: [60_000] })
    await notifier.sessionEnded(ended([client('late', { backchannelLogoutUri: `${base}/late` })]))
    await notifier.drain(60_000)
    assert.equal(bodies.length, 1)
    assert.equal(lines[0]?.fields.reason, 'timed out')
  })

  test('drain aborts deliveries that outlive the grace period', async () => {
    answers = [0]
    const { channels: notifier, lines } = channels()
    await notifier.sessionEnded(ended([client('hang', { backchannelLogoutUri: `${base}/hang` })]))
    assert.equal(notifier.inFlight, 1)
    await notifier.drain(0)
    assert.equal(notifier.inFlight, 0)
    assert.match(String(lines[0]?.fields.reason), /shutting down/)
  })
})
