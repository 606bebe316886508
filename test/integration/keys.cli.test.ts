// `warden create|get|delete|import jwk` against real listeners, run in-process with captured output.
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { Command } from 'commander'
import type { CliIo } from '../../src/cli/admin-client.js'
import { registerJwkCommands } from '../../src/cli/commands/jwk.js'
import { PRIVATE_MEMBERS } from '../../src/keys/jwk.js'
import type { Jwk } from '../../src/keys/jwk.js'
import { startKeysHarness, type KeysHarness } from '../support/keys-harness.js'

interface Run { stdout: string, stderr: string }

async function warden (args: string[], options: { env?: Record<string, string>, stdin?: Buffer | string } = {}): Promise<Run> {
  const out = { stdout: '', stderr: '' }
  const io: CliIo = {
    stdout: { write: (text: string) => { out.stdout += text } },
    stderr: { write: (text: string) => { out.stderr += text } },
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {}
  }
  const program = new Command('warden').exitOverride().configureOutput({ writeOut: io.stdout.write, writeErr: io.stderr.write })
  registerJwkCommands(program, io)
  await program.parseAsync(args, { from: 'user' })
  return out
}

interface Collection { set?: string, keys: Array<Jwk & { set: string }> }
const json = <T>(run: Run): T => JSON.parse(run.stdout) as T

describe('jwk CLI commands', () => {
  let h: KeysHarness
  let endpoint: string
  let folder: string
  before(async () => {
    h = await startKeysHarness()
    endpoint = h.servers.adminUrl
    folder = mkdtempSync(join(tmpdir(), 'warden-jwk-cli-'))
  })
  after(async () => {
    await h?.close()
    rmSync(folder, { recursive: true, force: true })
  })

  test('create prints Hydra\'s table by default and the key with its set as JSON', async () => {
    const table = await warden(['create', 'jwk', 'cli-set', 'k1', '--alg', 'ES256', '-e', endpoint])
    const lines = table.stdout.trimEnd().split('\n').map((line) => line.split('\t').filter((cell) => cell !== ''))
    assert.deepEqual(lines, [['SET ID', 'KEY ID', 'ALGORITHM', 'USE'], ['cli-set', 'k1', 'ES256', 'sig']])
    const created = json<Collection>(await warden(['create', 'jwks', 'cli-set', '--alg', 'EdDSA', '--use', 'enc', '--format', 'json'], { env: { ORY_SDK_URL: endpoint } }))
    assert.equal(created.set, 'cli-set')
    assert.equal(created.keys[0]?.set, 'cli-set')
    assert.equal(created.keys[0]?.use, 'enc')
    assert.ok(created.keys[0]?.d)
    const publicOnly = json<Collection>(await warden(['create', 'jwk', 'cli-set', '--alg', 'ES384', '--public', '--format', 'json', '-e', endpoint]))
    for (const member of PRIVATE_MEMBERS) assert.equal(member in (publicOnly.keys[0] ?? {}), false)
    await assert.rejects(warden(['create', 'jwk', 'cli-set', '--alg', 'HS256', '-e', endpoint]), /Bad Request: Unsupported key algorithm.*\(HTTP 400\)/)
  })

  test('get prints one key as a row, several as a table, --public strips private parts', async () => {
    await warden(['create', 'jwk', 'single', 'only', '--alg', 'ES256', '-e', endpoint])
    const row = await warden(['get', 'jwk', 'single', '-e', endpoint])
    assert.deepEqual(row.stdout.trimEnd().split('\n').map((line) => line.split('\t').filter((cell) => cell !== '')),
      [['SET ID', 'single'], ['KEY ID', 'only'], ['ALGORITHM', 'ES256'], ['USE', 'sig']])
    const one = json<Jwk & { set: string }>(await warden(['get', 'jwk', 'single', '-e', endpoint, '--format', 'json']))
    assert.equal(one.set, 'single')
    assert.ok(one.d)
    const both = json<Collection>(await warden(['get', 'jwks', 'single', 'cli-set', '--public', '-e', endpoint, '--format', 'json-pretty']))
    assert.equal(both.set, undefined, 'keys from several sets carry no top-level set')
    assert.deepEqual([...new Set(both.keys.map((k) => k.set))], ['single', 'cli-set'])
    for (const key of both.keys) assert.equal(key.d, undefined)
    const quiet = await warden(['get', 'jwk', 'cli-set', '-e', endpoint, '-q'])
    assert.equal(quiet.stdout.trimEnd().split('\n').length, 3)
    await assert.rejects(warden(['get', 'jwk', 'missing', '-e', endpoint]), /Not Found: Unable to locate the requested resource \(HTTP 404\)/)
  })

  test('import reads JWK, JWKS, PEM and DER files and STDIN; PEM needs --alg', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const jwkFile = join(folder, 'key.json')
    writeFileSync(jwkFile, JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), kid: 'from-json', alg: 'ES256' }))
    const jwksFile = join(folder, 'set.json')
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...ec.publicKey.export({ format: 'jwk' }), kid: 'from-jwks', alg: 'ES256', use: 'enc' }] }))
    const pemFile = join(folder, 'rsa.pem')
    writeFileSync(pemFile, rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }))
    const derFile = join(folder, 'rsa.pub.der')
    writeFileSync(derFile, rsa.publicKey.export({ format: 'der', type: 'spki' }))

    const imported = json<Collection>(await warden(['import', 'jwk', 'imported', jwkFile, jwksFile, pemFile, derFile, '--alg', 'RS256', '-e', endpoint, '--format', 'json']))
    assert.equal(imported.keys.length, 4)
    const kids = imported.keys.map((k) => k.kid)
    assert.deepEqual(kids.slice(0, 2), ['from-json', 'from-jwks'])
    assert.equal(imported.keys[1]?.use, 'enc')
    assert.equal(imported.keys[2]?.alg, 'RS256')
    assert.ok(imported.keys[2]?.d, 'the PEM private key was imported with its private parts')
    assert.equal(imported.keys[3]?.d, undefined)
    assert.equal((await h.keys.getKeySet('imported')).length, 4)

    const fromStdin = json<Collection>(await warden(['import', 'jwk', 'imported', '--alg', 'ES256', '-e', endpoint, '--format', 'json'], { stdin: ec.publicKey.export({ format: 'pem', type: 'spki' }) }))
    assert.equal(fromStdin.keys[0]?.alg, 'ES256')
    await assert.rejects(warden(['import', 'jwk', 'imported', pemFile, '-e', endpoint]), /has no "alg"; pass --alg/)
    const garbage = join(folder, 'garbage.bin')
    writeFileSync(garbage, 'not a key')
    await assert.rejects(warden(['import', 'jwk', 'imported', garbage, '--alg', 'RS256', '-e', endpoint]), /could not decode a key/)
    const broken = join(folder, 'broken.json')
    writeFileSync(broken, JSON.stringify({ kty: 'EC', kid: 'broken', alg: 'ES256', crv: 'P-256', x: 'AA' }))
    await assert.rejects(warden(['import', 'jwk', 'imported', broken, '-e', endpoint]), /broken\.json: .*JSON Web Key is invalid.*\(HTTP 400\)/)
  })

  test('delete removes whole sets and prints their ids', async () => {
    await warden(['create', 'jwk', 'doomed-1', '--alg', 'ES256', '-e', endpoint])
    await warden(['create', 'jwk', 'doomed-2', '--alg', 'ES256', '-e', endpoint])
    const run = await warden(['delete', 'jwk', 'doomed-1', 'doomed-2', '-e', endpoint, '--format', 'json'])
    assert.deepEqual(JSON.parse(run.stdout), ['doomed-1', 'doomed-2'])
    await assert.rejects(h.keys.getKeySet('doomed-1'))
    await assert.rejects(warden(['delete', 'jwk', 'x']), /no admin endpoint/)
  })
})
