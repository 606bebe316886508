// Reads config keys from environment variables with Hydra's mapping (SERVE_PUBLIC_PORT -> serve.public.port).
import type { TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { problemLine } from './problems.js'
import { keyword } from './schema-types.js'
import { envNameOf, listSchemaNodes, type SchemaNode } from './schema-walk.js'

export interface EnvSetting {
  path: string[]
  value: unknown
  /** e.g. `env SERVE_PUBLIC_PORT` */
  source: string
}

// Names from the v1 docs and the production guide, kept as aliases; the SERVE_* form wins when both are set.
const ALIASES: ReadonlyArray<[alias: string, canonical: string]> = [
  ['PUBLIC_HOST', 'SERVE_PUBLIC_HOST'],
  ['ADMIN_HOST', 'SERVE_ADMIN_HOST'],
  ['PUBLIC_PORT', 'SERVE_PUBLIC_PORT'],
  ['ADMIN_PORT', 'SERVE_ADMIN_PORT']
]

// Go's strconv.ParseBool spellings, as Hydra accepts them.
const BOOLEANS: Readonly<Record<string, boolean>> = {
  1: true, t: true, T: true, true: true, TRUE: true, True: true,
  0: false, f: false, F: false, false: false, FALSE: false, False: false
}

type Cast = { value: unknown } | { problem: string }

function parseJson (raw: string, want: 'array' | 'object'): Cast {
  try {
    const value: unknown = JSON.parse(raw)
    const isWanted = want === 'array' ? Array.isArray(value) : typeof value === 'object' && value !== null && !Array.isArray(value)
    return isWanted ? { value } : { problem: `expected a JSON ${want}, got ${raw.trim().slice(0, 40)}` }
  } catch {
    return { problem: `expected a JSON ${want}, got text that is not valid JSON` }
  }
}

/** Turns the text of a variable into the type the schema wants; values it cannot cast stay strings for validation to report. */
export function castEnvValue (raw: string, schema: TSchema): Cast {
  if (Array.isArray(schema.anyOf)) {
    for (const member of schema.anyOf as TSchema[]) {
      const cast = castEnvValue(raw, member)
      if ('value' in cast && Value.Check(member, cast.value)) return cast
    }
    return { value: raw }
  }
  switch (schema.type) {
    case 'integer':
      // A leading zero marks an octal mode ("0770"); the loader converts it.
      if (keyword(schema, 'coerce') === 'octal-mode' && /^0/.test(raw)) return { value: raw }
      return { value: /^[-+]?\d+$/.test(raw.trim()) ? Number(raw) : raw }
    case 'number':
      return { value: raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw }
    case 'boolean':
      return { value: BOOLEANS[raw.trim()] ?? raw }
    case 'array': {
      if (raw.trim().startsWith('[')) return parseJson(raw, 'array')
      const items = schema.items as TSchema
      const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
      return { value: entries.map((entry) => { const cast = castEnvValue(entry, items); return 'value' in cast ? cast.value : entry }) }
    }
    case 'object':
      return parseJson(raw, 'object')
    default:
      return { value: raw }
  }
}

interface EnvVariable { name: string, value: string }

function variablesWithAliases (env: Record<string, string | undefined>): EnvVariable[] {
  const isSet = (name: string): boolean => (env[name] ?? '') !== ''
  const variables: EnvVariable[] = []
  for (const [name, value] of Object.entries(env)) {
    // Empty variables count as unset, so `FOO=` in a compose file does not wipe a value from a file.
    if (value === undefined || value === '') continue
    const alias = ALIASES.find(([aliasName]) => aliasName === name)
    if (alias !== undefined && isSet(alias[1])) continue
    variables.push({ name, value })
  }
  return variables
}

/**
 * Finds the variables naming schema keys. Top-level sections (SERVE, LOG, ...) are not settable as a whole,
 * so an unrelated variable such as LOG=... cannot replace a section.
 */
export function settingsFromEnv (env: Record<string, string | undefined>): { settings: EnvSetting[], problems: string[] } {
  const byName = new Map<string, SchemaNode>()
  for (const node of listSchemaNodes()) {
    if (!(node.isSection && node.path.length === 1)) byName.set(envNameOf(node.path), node)
  }
  const aliasTarget = new Map(ALIASES)
  const whole: EnvSetting[] = []
  const indexed: Array<EnvSetting & { index: number }> = []
  const problems: string[] = []

  for (const { name, value } of variablesWithAliases(env)) {
    const key = aliasTarget.get(name) ?? name.toUpperCase()
    const source = `env ${name}`
    const node = byName.get(key)
    const indexMatch = node === undefined ? /^(.+)_(\d+)$/.exec(key) : null
    const arrayNode = indexMatch !== null ? byName.get(indexMatch[1] as string) : undefined
    if (node !== undefined) {
      const cast = castEnvValue(value, node.schema)
      if ('problem' in cast) problems.push(problemLine(node.path, cast.problem, source))
      else whole.push({ path: node.path, value: cast.value, source })
    } else if (arrayNode !== undefined && arrayNode.schema.type === 'array') {
      const index = Number(indexMatch?.[2])
      const cast = castEnvValue(value, arrayNode.schema.items as TSchema)
      const path = [...arrayNode.path, String(index)]
      if ('problem' in cast) problems.push(problemLine(path, cast.problem, source))
      else indexed.push({ path, value: cast.value, source, index })
    }
  }
  // Whole values first, shallow before deep, then single list entries in index order.
  whole.sort((a, b) => a.path.length - b.path.length)
  indexed.sort((a, b) => a.index - b.index)
  return { settings: [...whole, ...indexed], problems }
}
