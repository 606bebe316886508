// Unit tests of the strict JSON and form parsers.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { isOAuth2Error } from '../../errors/oauth2-error.js'
import { findDuplicateKey, parseFormBody, parseStrictJson } from './body-parsers.js'

const json = (text: string): unknown => parseStrictJson(Buffer.from(text, 'utf8'))

function assertBadRequest (fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => isOAuth2Error(error) && error.statusCode === 400 && pattern.test(error.hint ?? ''))
}

describe('findDuplicateKey', () => {
  test('finds duplicates at the top level and in nested objects', () => {
    assert.equal(findDuplicateKey('{"a":1,"a":2}'), 'a')
    assert.equal(findDuplicateKey('{"a":{"b":1,"c":{"d":1},"b":2}}'), 'b')
    assert.equal(findDuplicateKey('[{"x":1},{"x":1,"x":2}]'), 'x')
  })

  test('does not confuse sibling objects, values or array items with keys', () => {
    assert.equal(findDuplicateKey('{"a":{"x":1},"b":{"x":1}}'), undefined)
    assert.equal(findDuplicateKey('{"a":"a","b":["a","a"],"c":{"a":"b"}}'), undefined)
    assert.equal(findDuplicateKey('[{"a":1},{"a":1}]'), undefined)
    assert.equal(findDuplicateKey('{"a":[{"b":1},{"b":2}],"b":3}'), undefined)
    assert.equal(findDuplicateKey('{}'), undefined)
  })

  test('compares decoded keys and handles escaped quotes', () => {
    assert.equal(findDuplicateKey('{"a":1,"\\u0061":2}'), 'a')
    assert.equal(findDuplicateKey('{"q\\"":1,"x":"\\\\","q\\"":2}'), 'q"')
    assert.equal(findDuplicateKey('{"k\\\\":1,"k":2}'), undefined)
  })
})

describe('parseStrictJson', () => {
  test('parses valid documents and treats an empty body as absent', () => {
    assert.deepEqual(json('{"a":[1,{"b":null}]}'), { a: [1, { b: null }] })
    assert.equal(json('  '), undefined)
    assert.equal(json('"x"'), 'x')
  })

  test('refuses malformed JSON, duplicate keys and invalid UTF-8', () => {
    assertBadRequest(() => json('{"a":'), /not valid JSON/)
    assertBadRequest(() => json('{"a":1,"a":1}'), /"a" more than once/)
    assertBadRequest(() => parseStrictJson(Buffer.from([0x22, 0xc3, 0x28, 0x22])), /UTF-8/)
  })

  test('refuses prototype-polluting keys at any depth', () => {
    assertBadRequest(() => json('{"__proto__":{"isAdmin":true}}'), /__proto__/)
    assertBadRequest(() => json('{"a":[{"__proto__":1}]}'), /__proto__/)
    assertBadRequest(() => json('{"constructor":{"prototype":{"x":1}}}'), /constructor/)
    assert.equal(({} as Record<string, unknown>)['isAdmin'], undefined)
    assert.deepEqual(json('{"constructor":"fine"}'), { constructor: 'fine' })
  })
})

describe('parseFormBody', () => {
  test('decodes pairs, plus signs and repeated names', () => {
    const body = parseFormBody('grant_type=client_credentials&scope=a+b&audience=x&audience=y&audience=z&empty=&flag')
    assert.equal(body['grant_type'], 'client_credentials')
    assert.equal(body['scope'], 'a b')
    assert.deepEqual(body['audience'], ['x', 'y', 'z'])
    assert.equal(body['empty'], '')
    assert.equal(body['flag'], '')
    assert.equal(parseFormBody('redirect_uri=https%3A%2F%2Fa.example%2Fcb%3Fx%3D1')['redirect_uri'], 'https://a.example/cb?x=1')
  })

  test('keeps __proto__ as plain data and refuses invalid percent-encoding', () => {
    const body = parseFormBody('__proto__=x')
    assert.equal(body['__proto__'], 'x')
    assert.equal(Object.getPrototypeOf(body), null)
    assertBadRequest(() => parseFormBody('a=%E0%A4%A'), /percent-encoding/)
    assertBadRequest(() => parseFormBody('a=%ff'), /percent-encoding/)
  })
})
