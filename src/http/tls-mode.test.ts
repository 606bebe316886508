// The per-listener TLS decision: every mode and the precedence between them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { testConfig } from '../../test/support/start-servers.js'
import { decideTlsMode } from './tls-mode.js'

const plainContext = { forceHttp: false, isUnixSocket: false }

test('nothing configured outside dev mode means a self-signed certificate, with a warning', () => {
  const decision = decideTlsMode(testConfig(), 'public', plainContext)
  assert.equal(decision.mode, 'https-self-signed')
  assert.equal(decision.isWarning, true)
})

test('dev mode and --dangerous-force-http serve plain HTTP with a warning', () => {
  assert.equal(decideTlsMode(testConfig({ dev: true }), 'admin', plainContext).mode, 'plain')
  const forced = decideTlsMode(testConfig(), 'admin', { forceHttp: true, isUnixSocket: false })
  assert.equal(forced.mode, 'plain')
  assert.equal(forced.isWarning, true)
  assert.match(forced.reason, /dangerous-force-http/)
})

test('configured cert and key win over dev mode and force-http; listener keys override serve.tls key by key', () => {
  const config = testConfig({
    dev: true,
    serve: { tls: { cert: { path: '/global.crt' }, key: { base64: 'a2V5' } }, admin: { tls: { cert: { path: '/admin.crt' } } } }
  })
  const pub = decideTlsMode(config, 'public', { forceHttp: true, isUnixSocket: false })
  assert.equal(pub.mode, 'https-files')
  assert.deepEqual(pub.files, { cert: { key: 'serve.tls.cert', path: '/global.crt' }, key: { key: 'serve.tls.key', base64: 'a2V5' } })
  const admin = decideTlsMode(config, 'admin', plainContext)
  assert.deepEqual(admin.files?.cert, { key: 'serve.admin.tls.cert', path: '/admin.crt' })
  assert.deepEqual(admin.files?.key, { key: 'serve.tls.key', base64: 'a2V5' })
})

test('a cert without a key is an error naming the missing key', () => {
  const config = testConfig({ serve: { public: { tls: { cert: { path: '/x.crt' } } } } })
  assert.throws(() => decideTlsMode(config, 'public', plainContext), /serve\.public\.tls\.key/)
})

test('termination CIDRs give plain HTTP with the guard, even under force-http; the listener list overrides', () => {
  const config = testConfig({ serve: { tls: { allow_termination_from: ['10.0.0.0/8'] }, admin: { tls: { allow_termination_from: ['127.0.0.1/32'] } } } })
  const pub = decideTlsMode(config, 'public', { forceHttp: true, isUnixSocket: false })
  assert.equal(pub.mode, 'termination')
  assert.deepEqual(pub.trustedProxies, ['10.0.0.0/8'])
  assert.deepEqual(decideTlsMode(config, 'admin', plainContext).trustedProxies, ['127.0.0.1/32'])
})

test('enabled: false and UNIX sockets always serve plain HTTP without a guard', () => {
  const disabled = testConfig({ serve: { tls: { enabled: false, cert: { path: '/x' }, key: { path: '/y' }, allow_termination_from: ['10.0.0.0/8'] } } })
  assert.equal(decideTlsMode(disabled, 'public', plainContext).mode, 'plain')
  const overridden = testConfig({ serve: { tls: { enabled: false }, admin: { tls: { enabled: true } } } })
  assert.equal(decideTlsMode(overridden, 'admin', plainContext).mode, 'https-self-signed')
  const socket = decideTlsMode(testConfig({ serve: { tls: { allow_termination_from: ['10.0.0.0/8'] } } }), 'admin', { forceHttp: false, isUnixSocket: true })
  assert.equal(socket.mode, 'plain')
  assert.deepEqual(socket.trustedProxies, [])
})
