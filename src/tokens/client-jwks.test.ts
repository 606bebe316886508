// jwks_uri fetching for private_key_jwt: caching, refetch on an unknown kid, size limit, timeout.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { ManualClock } from '../lib/clock.js'
import { JwksFetcher } from './client-jwks.js'

describe('JwksFetcher', () => {
  let server: Server
  let base = ''
  let hits = 0
  let kids = ['k1']
  before(async () => {
    server = createServer((request, response) => {
      hits++
      if (request.url === '/big') { response.end(JSON.stringify({ keys: [{ kid: 'x'.repeat(2048) }] })); return }
      if (request.url === '/slow') return // never answers
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ keys: kids.map((kid) => ({ kid, kty: 'RSA' })) }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  test('serves from cache, refetches for an unknown kid at most once a second', async () => {
    const clock = new ManualClock()
    const fetcher = new JwksFetcher({ clock })
    hits = 0
    assert.equal((await fetcher.get(`${base}/jwks`, 'k1')).keys.length, 1)
    await fetcher.get(`${base}/jwks`, 'k1')
    assert.equal(hits, 1)
    kids = ['k1', 'k2']
    await fetcher.get(`${base}/jwks`, 'k2')
    assert.equal(hits, 1, 'within a second of the last fetch the cached copy answers')
    clock.advance(1500)
    assert.equal((await fetcher.get(`${base}/jwks`, 'k2')).keys.length, 2)
    assert.equal(hits, 2)
  })

  test('refuses documents over the size limit and slow servers', async () => {
    const fetcher = new JwksFetcher({ clock: new ManualClock(), maxBytes: 1024, timeoutMs: 200 })
    await assert.rejects(fetcher.get(`${base}/big`, undefined), /exceeds 1024 bytes/)
    await assert.rejects(fetcher.get(`${base}/slow`, undefined))
  })
})
