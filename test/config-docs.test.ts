// Fails when docs/configuration.md no longer matches the config schema.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderConfigurationDoc } from '../src/config/docs.js'

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url))

test('docs/configuration.md is up to date with src/config/schema.ts', () => {
  const checkedIn = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8')
  assert.ok(checkedIn === renderConfigurationDoc(), 'docs/configuration.md is stale: run `npm run build && npm run docs`')
})
