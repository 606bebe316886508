// How the jwk verbs print keys: Hydra's columns (SET ID, KEY ID, ALGORITHM, USE) or the JSON of each key plus "set".
import { printRow, printTable, type AdminOptions, type CliIo } from '../admin-client.js'
import { toPublicJwk } from '../../keys/jwk.js'
import type { Jwk } from '../../keys/jwk.js'

export const JWK_HEADER = ['SET ID', 'KEY ID', 'ALGORITHM', 'USE'] as const

export interface SetKey {
  set: string
  key: Jwk
}

export const setKeys = (set: string, keys: readonly Jwk[]): SetKey[] => keys.map((key) => ({ set, key }))

/** `--public`: what Hydra's OnlyPublicSDKKeys leaves (a symmetric key keeps only its identifying members). */
export function publicOnly (items: readonly SetKey[]): SetKey[] {
  return items.map(({ set, key }) => ({ set, key: toPublicJwk(key) ?? { kty: key.kty, kid: key.kid, ...(key.use === undefined ? {} : { use: key.use }), ...(key.alg === undefined ? {} : { alg: key.alg }) } }))
}

const columns = ({ set, key }: SetKey): string[] => [set, key.kid, key.alg ?? '', key.use ?? '']
const withSet = ({ set, key }: SetKey): Record<string, unknown> => ({ ...key, set })

/** One key: HEADER<tab>value lines, or the key's JSON with its set. */
export function printKey (io: CliIo, options: AdminOptions, item: SetKey): void {
  printRow(io, options, { header: [...JWK_HEADER], columns: columns(item), value: withSet(item) })
}

/** Several keys: a table, or `{"set": ..., "keys": [...]}` (set left out when the keys come from several sets). */
export function printKeys (io: CliIo, options: AdminOptions, items: readonly SetKey[]): void {
  if (options.quiet === true) {
    for (const { key } of items) io.stdout.write(`${key.kid}\n`)
    return
  }
  const sets = new Set(items.map((item) => item.set))
  const value = { ...(sets.size === 1 ? { set: [...sets][0] } : {}), keys: items.map(withSet) }
  printTable(io, options, JWK_HEADER, items.map(columns), value)
}
