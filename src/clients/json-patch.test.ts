// RFC 6902 add/remove/replace as Hydra applies them to clients, and everything else refused.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { JsonPatchError, applyJsonPatch } from './json-patch.js'

describe('applyJsonPatch', () => {
  const doc = { name: 'a', list: ['x', 'y'], nested: { deep: { v: 1 } }, 'a/b': 1, 'm~n': 2 }

  test('add, remove and replace on members and array elements; the input stays untouched', () => {
    const out = applyJsonPatch(doc, [
      { op: 'replace', path: '/name', value: 'b' },
      { op: 'add', path: '/list/1', value: 'inserted' },
      { op: 'add', path: '/list/-', value: 'last' },
      { op: 'remove', path: '/list/0' },
      { op: 'replace', path: '/nested/deep/v', value: { w: [1] } },
      { op: 'remove', path: '/a~1b' },
      { op: 'replace', path: '/m~0n', value: 3 }
    ])
    assert.deepEqual(out, { name: 'b', list: ['inserted', 'y', 'last'], nested: { deep: { v: { w: [1] } } }, 'm~n': 3 })
    assert.deepEqual(doc.list, ['x', 'y'])
  })

  test('replace of a missing member adds it, and missing parents are created (Hydra\'s behaviour)', () => {
    assert.deepEqual(applyJsonPatch({}, [{ op: 'replace', path: '/new', value: 1 }]), { new: 1 })
    assert.deepEqual(applyJsonPatch({ metadata: null }, [{ op: 'add', path: '/metadata/a/b', value: 1 }]), { metadata: { a: { b: 1 } } })
  })

  test('values are copied, so later operations do not alias the patch', () => {
    const value = { k: 1 }
    const out = applyJsonPatch({} as Record<string, { k: number }>, [{ op: 'add', path: '/a', value }, { op: 'replace', path: '/a/k', value: 2 }])
    assert.equal(out.a?.k, 2)
    assert.equal(value.k, 1)
  })

  test('refuses unsupported operations, forbidden paths and bad pointers', () => {
    const cases: Array<[Parameters<typeof applyJsonPatch>[1], RegExp]> = [
      [[{ op: 'test', path: '/name', value: 'a' }], /not supported/],
      [[{ op: 'move', from: '/name', path: '/x' }], /not supported/],
      [[{ op: 'copy', from: '/name', path: '/x' }], /not supported/],
      [[{ op: 'replace', path: '/client_id', value: 'x' }], /can not be changed/],
      [[{ op: 'add', path: '/client_id/x', value: 'x' }], /can not be changed/],
      [[{ op: 'remove', path: '/missing' }], /does not exist/],
      [[{ op: 'replace', path: '/list/5', value: 1 }], /out of bounds/],
      [[{ op: 'replace', path: '/list/01', value: 1 }], /array element/],
      [[{ op: 'add', path: 'name', value: 1 }], /JSON pointer/],
      [[{ op: 'add', path: '', value: 1 }], /whole document/],
      [[{ op: 'add', path: '/x~2', value: 1 }], /escape/],
      [[{ op: 'add', path: '/name' }], /no value/],
      [[{ op: 'add', path: '/name/x', value: 1 }], /parent/],
      [[{ op: 'add', path: '/__proto__/polluted', value: 1 }], /__proto__/]
    ]
    for (const [patch, message] of cases) {
      assert.throws(() => applyJsonPatch({ ...doc, client_id: 'c' }, patch, ['/client_id']), (error: unknown) => error instanceof JsonPatchError && message.test(error.message), JSON.stringify(patch))
    }
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined)
  })
})
