// When `serve` runs the bundled login UI, and which URLs it points at it.
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { describe, test } from 'node:test'
import { loadConfig } from '../config/load.js'
import { CliError } from './cli-error.js'
import { planBundledUi, startBundledUi } from './bundled-ui.js'

const configWith = (env: Record<string, string>, isDev = true) => loadConfig({ files: [], flags: isDev ? { dev: true } : {}, env }).config

describe('bundled login UI plan', () => {
  test('serve all --dev without a login app: on, and urls.login/consent/logout point at serve.ui.port', () => {
    const plan = planBundledUi(configWith({ SERVE_UI_PORT: '3123' }), 'all', undefined)
    assert.equal(plan.isEnabled, true)
    assert.equal(plan.config.urls.login, 'http://127.0.0.1:3123/login')
    assert.equal(plan.config.urls.consent, 'http://127.0.0.1:3123/consent')
    assert.equal(plan.config.urls.logout, 'http://127.0.0.1:3123/logout')
    assert.equal(plan.config.urls.post_logout_redirect, 'http://127.0.0.1:3123/signed-out')
    assert.ok(Object.isFrozen(plan.config))
  })

  test('off when the operator configured a login app, outside dev mode, or for serve public/admin', () => {
    assert.equal(planBundledUi(configWith({ URLS_LOGIN: 'https://login.example.com/' }), 'all', undefined).isEnabled, false)
    assert.equal(planBundledUi(configWith({ URLS_CONSENT: 'https://login.example.com/consent' }), 'all', undefined).isEnabled, false)
    assert.equal(planBundledUi(configWith({}, false), 'all', undefined).isEnabled, false)
    assert.equal(planBundledUi(configWith({}), 'public', undefined).isEnabled, false)
  })

  test('--ui and --no-ui force it either way', () => {
    const forced = planBundledUi(configWith({ URLS_LOGIN: 'https://login.example.com/' }), 'all', true)
    assert.equal(forced.isEnabled, true)
    assert.equal(forced.config.urls.login, 'http://127.0.0.1:3000/login')
    assert.equal(forced.warnings.length, 1)
    const refused = planBundledUi(configWith({}), 'all', false)
    assert.equal(refused.isEnabled, false)
    assert.equal(refused.config.urls.login, undefined)
  })

  test('a taken port becomes one line naming the port, the key, the variable and --no-ui', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      await assert.rejects(startBundledUi(configWith({ SERVE_UI_PORT: String(port) }), () => {}), (error: unknown) => {
        assert.ok(error instanceof CliError)
        assert.match(error.message, new RegExp(`port ${port} for the bundled login UI \\(serve.ui.port\\) is already in use`))
        assert.match(error.message, /SERVE_UI_PORT=.*--no-ui/)
        return true
      })
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })
})
