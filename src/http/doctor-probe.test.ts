// The doctor probe: only a request signed with secrets.system learns which address it arrived from.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import pino from 'pino'
import type { FastifyInstance } from 'fastify'
import { testConfig, type DeepPartial } from '../../test/support/start-servers.js'
import type { Config } from '../config/schema.js'
import { DOCTOR_PROBE_HEADER, DOCTOR_REPORT_HEADER, decodeObservation, encodeObservation, isDoctorProbeValid, signDoctorProbe } from './doctor-probe.js'
import { createHttpMetrics } from './plugins/metrics.js'
import { buildPublicApp } from './public-app.js'

const SECRET = 'a-test-system-secret-of-32-chars'
const NOW = 1_800_000_000

const apps: FastifyInstance[] = []
after(async () => { await Promise.all(apps.map(async (app) => await app.close())) })

function publicApp (overrides: DeepPartial<Config>): FastifyInstance {
  const config = testConfig({ secrets: { system: [SECRET] }, ...overrides })
  const app = buildPublicApp({
    config,
    logger: pino({ level: 'silent' }),
    readiness: { check: async () => ({}) },
    metrics: createHttpMetrics({ version: 'v', isCollectingProcessMetrics: false }),
    version: 'v'
  }, [])
  apps.push(app)
  return app
}

describe('doctor probe', () => {
  test('a proof holds for any secrets.system entry within five minutes, and for nothing else', () => {
    const probe = signDoctorProbe(SECRET, NOW)
    assert.equal(isDoctorProbeValid(probe, [SECRET], NOW + 299), true)
    assert.equal(isDoctorProbeValid(probe, ['the-new-secret-of-32-characters!', SECRET], NOW), true)
    assert.equal(isDoctorProbeValid(probe, ['another-secret-of-32-characters!'], NOW), false)
    assert.equal(isDoctorProbeValid(probe, [SECRET], NOW + 301), false)
    assert.equal(isDoctorProbeValid(probe.replace(/^\d+/, String(NOW + 1)), [SECRET], NOW), false)
    for (const bad of [undefined, '', 'x', `${NOW}.n`, `${probe}.extra`, ['a', 'b']]) assert.equal(isDoctorProbeValid(bad, [SECRET], NOW), false)
  })

  test('the report survives the header round trip', () => {
    const seen = { peer: '::1', isTls: false, isGuarded: true, isPeerTrusted: false, forwardedProto: 'https, http', forwardedFor: '203.0.113.9, 10.0.0.5' }
    assert.deepEqual(decodeObservation(encodeObservation(seen)), seen)
    assert.equal(decodeObservation('tls=1'), undefined)
    assert.equal(decodeObservation(undefined), undefined)
  })

  test('GET /health/alive reports the peer and the guard verdict to a signed probe only', async () => {
    const app = publicApp({ serve: { tls: { allow_termination_from: ['10.0.0.0/8'] } } })
    const probe = { [DOCTOR_PROBE_HEADER]: signDoctorProbe(SECRET, Date.now() / 1000), 'x-forwarded-proto': 'https' }
    const untrusted = await app.inject({ url: '/health/alive', headers: probe, remoteAddress: '192.0.2.7' })
    assert.equal(untrusted.statusCode, 200)
    assert.deepEqual(untrusted.json(), { status: 'ok' })
    assert.deepEqual(decodeObservation(untrusted.headers[DOCTOR_REPORT_HEADER] as string),
      { peer: '192.0.2.7', isTls: false, isGuarded: true, isPeerTrusted: false, forwardedProto: 'https', forwardedFor: '' })
    assert.equal(untrusted.headers['cache-control'], 'no-store')
    const trusted = await app.inject({ url: '/health/alive', headers: probe, remoteAddress: '::ffff:10.1.2.3' })
    assert.equal(decodeObservation(trusted.headers[DOCTOR_REPORT_HEADER] as string)?.isPeerTrusted, true)
    assert.equal(decodeObservation(trusted.headers[DOCTOR_REPORT_HEADER] as string)?.peer, '10.1.2.3')
    const unsigned = await app.inject({ url: '/health/alive', remoteAddress: '192.0.2.7' })
    const forged = await app.inject({ url: '/health/alive', headers: { [DOCTOR_PROBE_HEADER]: signDoctorProbe('another-secret-of-32-characters!', Date.now() / 1000) } })
    for (const answer of [unsigned, forged]) {
      assert.equal(answer.statusCode, 200)
      assert.equal(answer.headers[DOCTOR_REPORT_HEADER], undefined)
    }
  })

  test('a listener without the proxy check says so', async () => {
    const app = publicApp({ dev: true })
    const answer = await app.inject({ url: '/health/alive', headers: { [DOCTOR_PROBE_HEADER]: signDoctorProbe(SECRET, Date.now() / 1000) } })
    assert.equal(decodeObservation(answer.headers[DOCTOR_REPORT_HEADER] as string)?.isGuarded, false)
  })
})
