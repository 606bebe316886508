// Tests the environment mapping on its own: names, casting, and that no two keys share a variable.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Type } from '@sinclair/typebox'
import { castEnvValue, settingsFromEnv } from './env.js'
import { envNameOf, listSchemaNodes } from './schema-walk.js'

describe('environment mapping', () => {
  test('every key has its own variable name', () => {
    const names = listSchemaNodes().map((node) => envNameOf(node.path))
    assert.equal(new Set(names).size, names.length)
  })

  test("Hydra's names map to schema paths", () => {
    const { settings } = settingsFromEnv({
      SERVE_PUBLIC_PORT: '1', URLS_SELF_ISSUER: 'https://x/', OAUTH2_EXPOSE_INTERNAL_ERRORS: 'true',
      TTL_ACCESS_TOKEN: '1m', OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: 'saltsalt'
    })
    assert.deepEqual(settings.map((setting) => setting.path.join('.')).sort(), [
      'oauth2.expose_internal_errors', 'oidc.subject_identifiers.pairwise.salt', 'serve.public.port', 'ttl.access_token', 'urls.self.issuer'
    ])
  })

  test('casting by schema type', () => {
    assert.deepEqual(castEnvValue('42', Type.Integer()), { value: 42 })
    assert.deepEqual(castEnvValue('4.2', Type.Integer()), { value: '4.2' })
    assert.deepEqual(castEnvValue('0.5', Type.Number()), { value: 0.5 })
    assert.deepEqual(castEnvValue('False', Type.Boolean()), { value: false })
    assert.deepEqual(castEnvValue(' a , b ,', Type.Array(Type.String())), { value: ['a', 'b'] })
    assert.deepEqual(castEnvValue('1,2', Type.Array(Type.Integer())), { value: [1, 2] })
    assert.deepEqual(castEnvValue('["a,b"]', Type.Array(Type.String())), { value: ['a,b'] })
    assert.deepEqual(castEnvValue('[1', Type.Array(Type.String())), { problem: 'expected a JSON array, got text that is not valid JSON' })
    assert.deepEqual(castEnvValue('[1]', Type.Object({})), { problem: 'expected a JSON object, got [1]' })
    assert.deepEqual(castEnvValue('7', Type.Union([Type.Boolean(), Type.Integer()])), { value: 7 })
  })
})
