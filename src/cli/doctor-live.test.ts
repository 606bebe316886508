// warden doctor's live checks: where the probes go, and what each observation of the listener means.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadConfig } from '../config/load.js'
import type { DoctorObservation } from '../http/doctor-probe.js'
import { judgeProbes, liveChecks, probeTargets, type Probed, type ProbeResult, type ProbeTarget } from './doctor-live.js'

const config = (env: Record<string, string>, isDev = false) => loadConfig({ files: [], flags: isDev ? { dev: true } : {}, env }).config
const GUARDED = { URLS_SELF_ISSUER: 'https://auth.example.com/', SERVE_TLS_ALLOW_TERMINATION_FROM: '10.0.0.0/8' }

const direct: ProbeTarget = { label: 'the public listener (127.0.0.1:4444)', listener: 'public', url: 'http://127.0.0.1:4444/health/alive', isDirect: true, isVerifyingTls: false }
const admin: ProbeTarget = { ...direct, label: 'the admin listener (127.0.0.1:4445)', listener: 'admin', url: 'http://127.0.0.1:4445/admin/health/alive' }
const viaUrl: ProbeTarget = { label: 'https://auth.example.com/', listener: 'public', url: 'https://auth.example.com/health/alive', isDirect: false, isVerifyingTls: true }

const seen = (fields: Partial<DoctorObservation>): ProbeResult => ({
  kind: 'answered',
  url: 'u',
  status: 200,
  seen: { peer: '127.0.0.1', isTls: false, isGuarded: true, isPeerTrusted: false, forwardedProto: '', forwardedFor: '', ...fields }
})
const refused: ProbeResult = { kind: 'unreachable', url: 'u', code: 'ECONNREFUSED', reason: 'connect ECONNREFUSED 127.0.0.1:4444' }

describe('doctor live checks', () => {
  test('targets: both listeners (a wildcard host on 127.0.0.1, a UNIX socket by path), then the public URL or --endpoint', () => {
    const targets = probeTargets(config({ ...GUARDED, SERVE_PUBLIC_HOST: '0.0.0.0', SERVE_ADMIN_HOST: 'unix:/run/warden-admin.sock' }))
    assert.deepEqual(targets.map((target) => [target.url, target.socketPath, target.isDirect]), [
      ['http://127.0.0.1:4444/health/alive', undefined, true],
      ['http://localhost/admin/health/alive', '/run/warden-admin.sock', true],
      ['https://auth.example.com/health/alive', undefined, false]
    ])
    assert.equal(probeTargets(config({ ...GUARDED, URLS_SELF_PUBLIC: 'https://auth.example.com/hydra/' }))[2]?.url, 'https://auth.example.com/hydra/health/alive')
    assert.equal(probeTargets(config({}, true)).length, 2, 'a dev issuer on the listener itself is probed once')
    assert.equal(probeTargets(config({}, true), { endpoint: 'http://127.0.0.1:8080' })[2]?.url, 'http://127.0.0.1:8080/health/alive')
  })

  test('an --endpoint that is not an http(s) URL is an error naming the flag, before any request', async () => {
    for (const endpoint of ['nonsense', 'http://[bad', 'ftp://auth.example.com/']) {
      assert.deepEqual((await liveChecks(config(GUARDED), { endpoint, skipTlsVerify: false, secret: undefined })).map((finding) => [finding.severity, finding.fix]), [['error', '--endpoint']])
    }
  })

  test('a gateway outside allow_termination_from is an error naming the key and the address; trusted without https is one too', () => {
    const guarded = config(GUARDED)
    const [untrusted] = judgeProbes(guarded, [{ target: viaUrl, result: seen({ peer: '192.168.1.5', forwardedProto: 'https' }) }], true)
    assert.equal(untrusted?.severity, 'error')
    assert.match(untrusted?.text ?? '', /arrive from 192\.168\.1\.5, which is not in serve\.tls\.allow_termination_from \(10\.0\.0\.0\/8\)/)
    assert.equal(untrusted?.fix, 'serve.tls.allow_termination_from: add 192.168.1.5/32 (the gateway\'s address as Warden sees it, or its subnet)')
    const [plainProto] = judgeProbes(guarded, [{ target: viaUrl, result: seen({ peer: '10.0.0.5', isPeerTrusted: true, forwardedProto: 'http' }) }], true)
    assert.equal(plainProto?.severity, 'error')
    assert.match(plainProto?.fix ?? '', /X-Forwarded-Proto: https/)
    const [good] = judgeProbes(guarded, [{ target: viaUrl, result: seen({ peer: '10.0.0.5', isPeerTrusted: true, forwardedProto: 'https' }) }], true)
    assert.equal(good?.severity, 'ok')
  })

  test('this host outside the list: the per-listener key when it is set, and the admin API\'s own advice', () => {
    const perListener = config({ ...GUARDED, SERVE_PUBLIC_TLS_ALLOW_TERMINATION_FROM: '10.0.0.0/8' })
    const [local] = judgeProbes(perListener, [{ target: direct, result: seen({ peer: '::1' }) }], true)
    assert.equal(local?.severity, 'info')
    assert.equal(local?.fix, 'serve.public.tls.allow_termination_from: add ::1/128 if a gateway runs on this host')
    const [adminFinding] = judgeProbes(config(GUARDED), [{ target: admin, result: seen({}) }], true)
    assert.match(adminFinding?.fix ?? '', /^serve\.tls\.allow_termination_from: add 127\.0\.0\.1\/32 when local tools call the admin API, or serve\.admin\.tls\.enabled: false/)
  })

  test('a server that disagrees with this configuration, or does not answer the probe, is a warning', () => {
    const [disagrees] = judgeProbes(config(GUARDED), [{ target: direct, result: seen({ isGuarded: false }) }], true)
    assert.equal(disagrees?.severity, 'warn')
    assert.match(disagrees?.text ?? '', /reads another configuration/)
    // Both guarded, but the running server trusts an address this configuration does not: the list shown is not ours.
    const [differs, judged] = judgeProbes(config(GUARDED), [{ target: viaUrl, result: seen({ peer: '192.168.1.5', isPeerTrusted: true, forwardedProto: 'https' }) }], true)
    assert.equal(differs?.severity, 'warn')
    assert.match(differs?.text ?? '', /^the public listener behind https:\/\/auth\.example\.com\/ trusts 192\.168\.1\.5 as a TLS-terminating proxy, unlike this configuration/)
    assert.match(judged?.text ?? '', /which is in serve\.tls\.allow_termination_from; its X-Forwarded-Proto: https is honoured/)
    const silent: Probed = { target: direct, result: { kind: 'answered', url: 'u', status: 200, seen: undefined } }
    assert.equal(judgeProbes(config(GUARDED), [silent], true)[0]?.severity, 'warn')
    assert.equal(judgeProbes(config(GUARDED), [silent], false)[0]?.severity, 'info')
  })

  test('nothing running is one info, never an error; a certificate browsers refuse is a warning', () => {
    const down = judgeProbes(config(GUARDED), [{ target: direct, result: refused }, { target: admin, result: refused }], true)
    assert.equal(down.length, 1)
    assert.equal(down[0]?.severity, 'info')
    assert.match(down[0]?.text ?? '', /no Warden answers at .*4444.* or .*4445/)
    const certificate: ProbeResult = { kind: 'unreachable', url: 'u', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', reason: 'self-signed certificate' }
    const findings = judgeProbes(config(GUARDED), [{ target: direct, result: seen({ peer: '10.0.0.1', isPeerTrusted: true }) }, { target: viaUrl, result: certificate }], true)
    assert.deepEqual(findings.map((finding) => finding.severity), ['ok', 'warn'])
    assert.match(findings[1]?.text ?? '', /^browsers will refuse https:\/\/auth\.example\.com\//)
  })
})
