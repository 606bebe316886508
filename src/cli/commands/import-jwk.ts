// `warden import jwk <set> [file...]`: adds keys from JWK/JWKS JSON or PEM/DER files (or STDIN) to a set.
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import type { Command } from 'commander'
import { CliError } from '../cli-error.js'
import { AdminClient, addAdminOptions, type AdminOptions, type CliIo } from '../admin-client.js'
import type { Jwk } from '../../keys/jwk.js'
import { printKeys, type SetKey } from './jwk-output.js'

interface ImportJwkOptions extends AdminOptions {
  alg?: string
  use: string
}

async function readBytes (stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer)
  return Buffer.concat(chunks)
}

function firstThatWorks (attempts: Array<() => KeyObject>): KeyObject | undefined {
  for (const attempt of attempts) {
    try { return attempt() } catch { /* try the next encoding */ }
  }
  return undefined
}

/** PEM (private, public, certificate) or DER (PKCS#8, PKCS#1, SEC1, SPKI), private first as Hydra does. */
function decodeKeyFile (content: Buffer): KeyObject | undefined {
  const text = content.toString('utf8')
  if (text.includes('-----BEGIN')) return firstThatWorks([() => createPrivateKey(text), () => createPublicKey(text)])
  return firstThatWorks([
    () => createPrivateKey({ key: content, format: 'der', type: 'pkcs8' }),
    () => createPrivateKey({ key: content, format: 'der', type: 'pkcs1' }),
    () => createPrivateKey({ key: content, format: 'der', type: 'sec1' }),
    () => createPublicKey({ key: content, format: 'der', type: 'spki' }),
    () => createPublicKey({ key: content, format: 'der', type: 'pkcs1' })
  ])
}

/** The keys a file holds: a JWK, a JWKS or an array of JWKs (every key), or one PEM/DER key. */
export function keysFromFile (source: string, content: Buffer): Array<Partial<Jwk>> {
  const text = content.toString('utf8').trim()
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed: unknown
    try { parsed = JSON.parse(text) } catch (error) { throw new CliError(`could not decode JSON from ${source}: ${(error as Error).message}`) }
    if (Array.isArray(parsed)) return parsed as Array<Partial<Jwk>>
    const keys = (parsed as { keys?: unknown }).keys
    if (Array.isArray(keys)) return keys as Array<Partial<Jwk>>
    return [parsed as Partial<Jwk>]
  }
  const key = decodeKeyFile(content)
  if (key === undefined) throw new CliError(`could not decode a key from ${source}: expected a JWK, a JWKS, or a PEM/DER encoded public or private key`)
  return [key.export({ format: 'jwk' }) as Partial<Jwk>]
}

/** Fills what the key does not say itself: kid (a UUID), alg (--alg, required then), use (--use). */
function completeKey (source: string, key: Partial<Jwk>, options: ImportJwkOptions): Jwk {
  const alg = key.alg !== undefined && key.alg !== '' ? key.alg : options.alg
  if (alg === undefined || alg === '') throw new CliError(`${source}: the key has no "alg"; pass --alg (required when importing PEM/DER data)`)
  const use = key.use !== undefined && key.use !== '' ? key.use : options.use
  return { ...key, kid: key.kid !== undefined && key.kid !== '' ? key.kid : randomUUID(), alg, use } as Jwk
}

export function registerImportJwkCommand (importVerb: Command, io: CliIo): void {
  const command = importVerb.command('jwk').alias('jwks')
    .description('Import JSON Web Keys (JWK or JWKS JSON, PEM or DER) from files or STDIN into a set; the set is created when missing')
    .argument('<set>', 'the set id')
    .argument('[files...]', 'key files; STDIN when none is given')
    .option('--use <use>', 'the "use" of keys that do not state one', 'sig')
    .option('--alg <alg>', 'the "alg" of keys that do not state one (required for PEM/DER data)')
  addAdminOptions(command)
  command.action(async (set: string, files: string[], options: ImportJwkOptions) => {
    const sources: Array<[string, Buffer]> = []
    if (files.length === 0) sources.push(['STDIN', await readBytes(io.stdin)])
    for (const file of files) {
      try { sources.push([file, readFileSync(file)]) } catch (error) { throw new CliError(`could not open file ${file}: ${(error as Error).message}`) }
    }
    const pending = sources.flatMap(([source, content]) => keysFromFile(source, content).map((key) => [source, completeKey(source, key, options)] as const))
    const admin = AdminClient.fromOptions(options, io.env)
    const imported: SetKey[] = []
    const failed: string[] = []
    for (const [source, key] of pending) {
      try {
        const { body } = await admin.request<Jwk>('PUT', `/admin/keys/${encodeURIComponent(set)}/${encodeURIComponent(key.kid)}`, key)
        imported.push({ set, key: body })
      } catch (error) {
        if (!(error instanceof CliError)) throw error
        failed.push(`${source}: ${error.message}`)
      }
    }
    printKeys(io, options, imported)
    if (failed.length > 0) throw new CliError(failed.join('\n'))
  })
}
