// Sealed page tokens, page_size rules and the Link header of Hydra v2 keyset pagination.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Sealer } from '../keys/sealing.js'
import { ManualClock } from './clock.js'
import { PageTokenError, PageTokens, pageById, paginationLinkHeader, parsePageSize } from './keyset-pagination.js'

describe('keyset pagination', () => {
  test('tokens round-trip, are opaque, expire after an hour and are bound to their columns', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
    const tokens = new PageTokens(new Sealer(['secret-one-of-sufficient-length']), () => clock.now())
    const token = tokens.encode({ id: 'client-42' })
    assert.doesNotMatch(token, /client-42/)
    assert.deepEqual(tokens.decode(token, ['id']), { id: 'client-42' })
    assert.throws(() => tokens.decode(token, ['login_challenge']), PageTokenError)
    assert.throws(() => tokens.decode(`${token.slice(0, -2)}AA`, ['id']), PageTokenError)
    assert.throws(() => tokens.decode('garbage', ['id']), PageTokenError)
    clock.advance(60 * 60 * 1000 + 1)
    assert.throws(() => tokens.decode(token, ['id']), /expired/)
  })

  test('a token sealed with an older secret still opens after rotation', () => {
    const old = new PageTokens(new Sealer(['old-secret-of-sufficient-length']))
    const rotated = new PageTokens(new Sealer(['new-secret-of-sufficient-length', 'old-secret-of-sufficient-length']))
    assert.deepEqual(rotated.decode(old.encode({ id: 'x' }), ['id']), { id: 'x' })
  })

  test('page_size: default 100, at most 500, integers only', () => {
    assert.equal(parsePageSize(undefined), 100)
    assert.equal(parsePageSize(''), 100)
    assert.equal(parsePageSize('0'), 100)
    assert.equal(parsePageSize('-3'), 100)
    assert.equal(parsePageSize('7'), 7)
    assert.equal(parsePageSize('501'), 500)
    assert.throws(() => parsePageSize('ten'), PageTokenError)
    assert.throws(() => parsePageSize('1.5'), PageTokenError)
  })

  test('Link header: first always, next only when more rows exist, other parameters kept and sorted', () => {
    const query = new URLSearchParams('owner=me&page_token=old&client_name=a b')
    assert.equal(paginationLinkHeader('/admin/clients', query, 2, 'F', 'N'),
      '</admin/clients?client_name=a+b&owner=me&page_size=2&page_token=F>; rel="first",</admin/clients?client_name=a+b&owner=me&page_size=2&page_token=N>; rel="next"')
    assert.equal(paginationLinkHeader('/admin/clients', new URLSearchParams(), 100, 'F', undefined), '</admin/clients?page_size=100&page_token=F>; rel="first"')
  })

  test('pageById: asks for one row more than a page, seals first/next tokens, and resumes after the last id', async () => {
    const tokens = new PageTokens(new Sealer(['secret-one-of-sufficient-length']))
    const ids = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }))
    const calls: Array<[string, number]> = []
    const fetchRows = async (afterId: string, limit: number): Promise<Array<{ id: string }>> => {
      calls.push([afterId, limit])
      return ids.filter((row) => row.id > afterId).slice(0, limit)
    }
    const invalid = (reason: string): Error => new Error(`invalid: ${reason}`)
    const first = await pageById(tokens, { pageSize: '2' }, invalid, fetchRows)
    assert.deepEqual(first.rows, [{ id: 'a' }, { id: 'b' }])
    assert.equal(first.pageSize, 2)
    assert.deepEqual(tokens.decode(first.firstToken, ['id']), { id: '' })
    assert.ok(first.nextToken !== undefined)
    const second = await pageById(tokens, { pageSize: '2', pageToken: first.nextToken }, invalid, fetchRows)
    assert.deepEqual(second.rows, [{ id: 'c' }, { id: 'd' }])
    const last = await pageById(tokens, { pageSize: '2', pageToken: second.nextToken ?? '' }, invalid, fetchRows)
    assert.deepEqual(last.rows, [{ id: 'e' }])
    assert.equal(last.nextToken, undefined)
    assert.deepEqual(calls, [['', 3], ['b', 3], ['d', 3]])
    await assert.rejects(pageById(tokens, { pageToken: 'forged' }, invalid, fetchRows), /^Error: invalid: the page token is invalid$/)
    await assert.rejects(pageById(tokens, { pageSize: 'ten' }, invalid, fetchRows), /invalid: page_size "ten"/)
    assert.equal(calls.length, 3, 'nothing is fetched for invalid parameters')
  })
})
