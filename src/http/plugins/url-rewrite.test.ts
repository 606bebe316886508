// Unit tests of the path normalisation, the endpoint label and the proxy-trust rules.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseCidrList } from '../../lib/cidr.js'
import { endpointLabel } from './metrics.js'
import { isExemptFromTlsGuard, isForwardedProtoHttps, resolveForwardedClient } from './tls-termination.js'
import { rewriteRequestUrl } from './url-rewrite.js'

test('public paths lose trailing slashes and keep their query', () => {
  assert.equal(rewriteRequestUrl('/oauth2/token/', { isAdmin: false }), '/oauth2/token')
  assert.equal(rewriteRequestUrl('/a//?x=/', { isAdmin: false }), '/a?x=/')
  assert.equal(rewriteRequestUrl('/', { isAdmin: false }), '/')
  assert.equal(rewriteRequestUrl('/health/ready', { isAdmin: false }), '/health/ready')
})

test('admin paths gain the /admin prefix unless they have it', () => {
  assert.equal(rewriteRequestUrl('/clients?page_size=1', { isAdmin: true }), '/admin/clients?page_size=1')
  assert.equal(rewriteRequestUrl('/admin/clients/', { isAdmin: true }), '/admin/clients')
  assert.equal(rewriteRequestUrl('/admin', { isAdmin: true }), '/admin')
  assert.equal(rewriteRequestUrl('/administrator', { isAdmin: true }), '/admin/administrator')
  assert.equal(rewriteRequestUrl('/', { isAdmin: true }), '/admin')
})

test('endpoint labels use {param} for path parameters', () => {
  assert.equal(endpointLabel('/admin/clients/:id'), '/admin/clients/{param}')
  assert.equal(endpointLabel('/admin/keys/:set/:kid'), '/admin/keys/{param}/{param}')
  assert.equal(endpointLabel(undefined), '')
})

test('X-Forwarded-For is walked from the right while hops are trusted', () => {
  const trusted = parseCidrList(['10.0.0.0/8', '::1/128'])
  assert.deepEqual(resolveForwardedClient('10.0.0.5', '203.0.113.9, 10.1.1.1', trusted), { isPeerTrusted: true, clientAddress: '203.0.113.9' })
  // The left-most entry may be forged by the client; the walk stops at the first untrusted hop.
  assert.deepEqual(resolveForwardedClient('10.0.0.5', '10.9.9.9, 198.51.100.1, 10.1.1.1', trusted), { isPeerTrusted: true, clientAddress: '198.51.100.1' })
  assert.deepEqual(resolveForwardedClient('::ffff:10.0.0.5', undefined, trusted), { isPeerTrusted: true, clientAddress: '::ffff:10.0.0.5' })
  assert.deepEqual(resolveForwardedClient('::1', ['10.2.2.2', '10.3.3.3'], trusted), { isPeerTrusted: true, clientAddress: '10.2.2.2' })
  // An untrusted peer cannot make itself trusted by naming a trusted address.
  assert.deepEqual(resolveForwardedClient('192.0.2.1', '10.0.0.1', trusted), { isPeerTrusted: false, clientAddress: '192.0.2.1' })
})

test('X-Forwarded-Proto must say https in every entry', () => {
  assert.equal(isForwardedProtoHttps('https'), true)
  assert.equal(isForwardedProtoHttps('HTTPS, https'), true)
  assert.equal(isForwardedProtoHttps('https, http'), false)
  assert.equal(isForwardedProtoHttps(undefined), false)
  assert.equal(isForwardedProtoHttps(''), false)
})

test('health and metrics paths are exempt from the guard, raw or rewritten', () => {
  assert.equal(isExemptFromTlsGuard('/health/ready/', '/health/ready'), true)
  assert.equal(isExemptFromTlsGuard('/health/alive', '/admin/health/alive'), true)
  assert.equal(isExemptFromTlsGuard('/metrics/prometheus?x=1', '/admin/metrics/prometheus?x=1'), true)
  assert.equal(isExemptFromTlsGuard('/clients', '/admin/clients'), false)
  assert.equal(isExemptFromTlsGuard('/health', '/health'), false)
})
