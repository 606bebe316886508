// `warden create|get|list|update|delete|import oauth2-client` against real listeners (TCP and a unix socket).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { Command } from 'commander'
import type { CliIo } from '../../src/cli/admin-client.js'
import { registerOAuth2ClientCommands } from '../../src/cli/commands/oauth2-client.js'
import { startClientsHarness, type ClientsHarness } from '../support/clients-harness.js'

interface Run { stdout: string, stderr: string }

/** Runs `warden <args>` in-process with captured output; rejects with the command's error. */
async function warden (args: string[], options: { env?: Record<string, string>, stdin?: string } = {}): Promise<Run> {
  const out = { stdout: '', stderr: '' }
  const io: CliIo = {
    stdout: { write: (text: string) => { out.stdout += text } },
    stderr: { write: (text: string) => { out.stderr += text } },
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {}
  }
  const program = new Command('warden').exitOverride().configureOutput({ writeOut: io.stdout.write, writeErr: io.stderr.write })
  registerOAuth2ClientCommands(program, io)
  await program.parseAsync(args, { from: 'user' })
  return out
}

const json = (run: Run): Record<string, unknown> => JSON.parse(run.stdout) as Record<string, unknown>

describe('oauth2-client CLI commands', () => {
  let h: ClientsHarness
  let endpoint: string
  let folder: string
  before(async () => {
    h = await startClientsHarness()
    endpoint = h.servers.adminUrl
    folder = mkdtempSync(join(tmpdir(), 'warden-cli-'))
  })
  after(async () => {
    await h?.close()
    rmSync(folder, { recursive: true, force: true })
  })

  test('create prints Hydra\'s table by default, and JSON with --format json', async () => {
    const table = await warden(['create', 'oauth2-client', '-e', endpoint, '--name', 'cli app', '--redirect-uri', 'https://a.example/cb', '--scope', 'openid,offline'])
    const lines = table.stdout.trimEnd().split('\n')
    assert.deepEqual(lines.map((line) => line.split('\t')[0]), ['CLIENT ID', 'CLIENT SECRET', 'GRANT TYPES', 'RESPONSE TYPES', 'SCOPE', 'AUDIENCE', 'REDIRECT URIS'])
    assert.match(lines[4] ?? '', /^SCOPE\t+openid offline\t+$/)
    const created = json(await warden([
      'create', 'client', '--endpoint', endpoint, '--format', 'json', '--id', 'cli-fixed-id', '--secret', 'a-cli-secret',
      '--grant-type', 'client_credentials', '--grant-type', 'refresh_token', '--response-type', 'token', '--audience', 'https://api.example',
      '--token-endpoint-auth-method', 'client_secret_post', '--metadata', '{"team":"cli"}', '--owner', 'cli-owner', '--skip-consent'
    ]))
    assert.equal(created.client_id, 'cli-fixed-id')
    assert.equal(created.client_secret, 'a-cli-secret')
    assert.deepEqual(created.grant_types, ['client_credentials', 'refresh_token'])
    assert.deepEqual(created.metadata, { team: 'cli' })
    assert.equal(created.skip_consent, true)
    assert.equal(created.token_endpoint_auth_method, 'client_secret_post')
  })

  test('get one or several ids; a missing one is reported and fails the command', async () => {
    const one = json(await warden(['get', 'oauth2-client', 'cli-fixed-id', '-e', endpoint, '--format', 'json']))
    assert.equal(one.client_name, '')
    assert.equal(one.client_secret, undefined)
    const other = json(await warden(['create', 'client', '-e', endpoint, '--format', 'json'])).client_id as string
    const both = JSON.parse((await warden(['get', 'clients', 'cli-fixed-id', other, '-e', endpoint, '--format', 'json-pretty'])).stdout) as unknown[]
    assert.equal(both.length, 2)
    await assert.rejects(warden(['get', 'client', 'nope', '-e', endpoint]), /nope: Unable to locate the resource \(HTTP 404\)/)
  })

  test('list pages with --page-size and --page-token', async () => {
    for (let i = 0; i < 3; i++) await warden(['create', 'client', '-e', endpoint, '-q'])
    const seen = new Set<string>()
    let token = ''
    for (let page = 0; page < 20; page++) {
      const result = json(await warden(['list', 'oauth2-clients', '-e', endpoint, '--format', 'json', '--page-size', '2', ...(token === '' ? [] : ['--page-token', token])]))
      for (const item of result.items as Array<{ client_id: string }>) seen.add(item.client_id)
      token = result.next_page_token as string
      assert.equal(result.is_last_page, token === '')
      if (token === '') break
    }
    const all = json(await warden(['list', 'clients', '-e', endpoint, '--format', 'json', '--page-size', '500']))
    assert.equal(seen.size, (all.items as unknown[]).length)
    const table = await warden(['list', 'clients', '-e', endpoint, '--page-size', '1'])
    assert.match(table.stdout, /^CLIENT ID\t/)
    assert.match(table.stdout, /\nNEXT PAGE TOKEN\t+[\w-]+\t*\nIS LAST PAGE\t+false/)
  })

  test('update sends only the given flags; --file replaces the whole client', async () => {
    const id = json(await warden(['create', 'client', '-e', endpoint, '--format', 'json', '--name', 'before', '--redirect-uri', 'https://keep.example/cb', '--owner', 'o1'])).client_id as string
    const patched = json(await warden(['update', 'oauth2-client', id, '-e', endpoint, '--format', 'json', '--name', 'after']))
    assert.equal(patched.client_name, 'after')
    assert.deepEqual(patched.redirect_uris, ['https://keep.example/cb'])
    assert.equal(patched.owner, 'o1')
    const withSecret = json(await warden(['update', 'client', id, '-e', endpoint, '--format', 'json', '--secret', 'rotated-by-cli']))
    assert.equal(withSecret.client_secret, 'rotated-by-cli')
    const file = join(folder, 'client.json')
    writeFileSync(file, JSON.stringify({ client_name: 'from file' }))
    const replaced = json(await warden(['update', 'client', id, '-e', endpoint, '--format', 'json', '--file', file]))
    assert.equal(replaced.client_name, 'from file')
    // Like Hydra, a PUT answers with the submitted body, where unsent lists are null.
    assert.equal(replaced.redirect_uris, null)
    assert.equal(replaced.owner, '')
    const fromStdin = json(await warden(['update', 'client', id, '-e', endpoint, '--format', 'json', '--file', '-'], { stdin: '{"client_name":"stdin"}' }))
    assert.equal(fromStdin.client_name, 'stdin')
  })

  test('import creates every client of files or STDIN; delete removes them', async () => {
    const file = join(folder, 'clients.json')
    writeFileSync(file, JSON.stringify([{ client_id: 'import-a', client_secret: 'imported-secret' }, { client_id: 'import-b' }]))
    const imported = JSON.parse((await warden(['import', 'oauth2-client', file, '-e', endpoint, '--format', 'json'])).stdout) as Array<{ client_id: string, client_secret: string }>
    assert.deepEqual(imported.map((c) => c.client_id), ['import-a', 'import-b'])
    assert.equal(imported[0]?.client_secret, 'imported-secret')
    const viaStdin = json(await warden(['import', 'clients', '-e', endpoint, '--format', 'json'], { stdin: '[{"client_id":"import-c"}]' }))
    assert.equal(viaStdin.client_id, 'import-c')
    await assert.rejects(warden(['import', 'clients', file, '-e', endpoint]), /409/)
    const deleted = await warden(['delete', 'oauth2-clients', 'import-a', 'import-b', 'import-c', '-e', endpoint])
    // Go's tabwriter: "ID" is padded to the column width (8 + 1, rounded up to 16) with two tabs.
    assert.equal(deleted.stdout, 'ID\t\t\nimport-a\t\nimport-b\t\nimport-c\t\n')
    await assert.rejects(warden(['delete', 'client', 'import-a', '-e', endpoint]), /404/)
  })

  test('the endpoint comes from ORY_SDK_URL when --endpoint is absent, and is required', async () => {
    const run = await warden(['get', 'client', 'cli-fixed-id', '-q'], { env: { ORY_SDK_URL: endpoint } })
    assert.equal(run.stdout, 'cli-fixed-id\n')
    await assert.rejects(warden(['get', 'client', 'cli-fixed-id']), /ORY_SDK_URL/)
    await assert.rejects(warden(['create', 'client', '-e', endpoint, '--metadata', '{nope']), /--metadata must be JSON/)
    await assert.rejects(warden(['create', 'client', '-e', endpoint, '--format', 'yaml']), /Allowed choices/)
  })
})

describe('oauth2-client CLI over a unix socket', () => {
  let h: ClientsHarness
  let folder: string
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'warden-sock-'))
    h = await startClientsHarness({ config: { serve: { admin: { host: `unix:${join(folder, 'admin.sock')}` } } } })
  })
  after(async () => {
    await h?.close()
    rmSync(folder, { recursive: true, force: true })
  })

  test('create and get through unix:/path', async () => {
    const endpoint = `unix:${join(folder, 'admin.sock')}`
    const id = json(await warden(['create', 'client', '-e', endpoint, '--format', 'json', '--name', 'socket'])).client_id as string
    assert.equal(json(await warden(['get', 'client', id, '-e', endpoint, '--format', 'json'])).client_name, 'socket')
  })
})
