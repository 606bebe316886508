// Loads the config: schema defaults < config files < flags < environment variables, then validates and freezes it.
import { ValueErrorType } from '@sinclair/typebox/errors'
import { Value } from '@sinclair/typebox/value'
import { readConfigFile, splitConfigPaths } from './config-files.js'
import { settingsFromEnv } from './env.js'
import { ConfigError, describeExpected, describeValue, pathKey, problemLine, type SourceMap } from './problems.js'
import { ConfigSchema, type Config } from './schema.js'
import { keyword } from './schema-types.js'
import { listSchemaNodes } from './schema-walk.js'

export { ConfigError } from './problems.js'

export interface ConfigFlags {
  dev?: boolean
  dangerousForceHttp?: boolean
  sqaOptOut?: boolean
}

export interface LoadConfigOptions {
  /** `-c/--config` values, in order; each may hold several comma-separated paths. */
  files: string[]
  flags: ConfigFlags
  env: Record<string, string | undefined>
}

export interface LoadedConfig {
  config: Readonly<Config>
  warnings: string[]
  forceHttp: boolean
  /** Which source set each configured key (keys not in it come from the defaults); see sourceOf(). */
  sources: SourceMap
}

type Tree = Record<string, unknown>

function isPlainObject (value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// A YAML key written without a value (`dsn:`) is null; treat it as not written, at any depth.
function withoutNulls (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls)
  if (!isPlainObject(value)) return value
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== null).map(([key, entry]) => [key, withoutNulls(entry)]))
}

/** The merged config tree, remembering which source set each path. */
class Layers {
  readonly tree: Tree = Value.Default(ConfigSchema, {}) as Tree
  readonly sources = new Map<string, string>()

  /** Sets one path; returns a problem when it would leave a hole in a list. */
  set (path: readonly string[], value: unknown, source: string): string | undefined {
    let parent: unknown = this.tree
    for (const [depth, segment] of path.slice(0, -1).entries()) {
      const container = parent as Tree
      const next = path[depth + 1] as string
      if (typeof container[segment] !== 'object' || container[segment] === null) container[segment] = /^\d+$/.test(next) ? [] : {}
      parent = container[segment]
    }
    const last = path[path.length - 1] as string
    if (Array.isArray(parent) && Number(last) > parent.length) {
      return problemLine(path, `index ${last} would leave a gap: the list has ${parent.length} entries`, source)
    }
    (parent as Tree)[last] = withoutNulls(value)
    const key = pathKey(path)
    for (const existing of [...this.sources.keys()]) if (existing.startsWith(`${key}\u0000`)) this.sources.delete(existing)
    this.sources.set(key, source)
    return undefined
  }

  /** Deep-merges a file: objects merge key by key, anything else (lists included) replaces. */
  merge (patch: Tree, source: string, base: string[] = []): void {
    const target = base.reduce<unknown>((node, segment) => (node as Tree)[segment], this.tree) as Tree
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) continue
      if (isPlainObject(value) && isPlainObject(target[key])) this.merge(value, source, [...base, key])
      else this.set([...base, key], value, source)
    }
  }
}

function valueAt (tree: Tree, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, segment) => isPlainObject(node) ? node[segment] : undefined, tree)
}

/** Applies the `coerce` keyword (see schema-types.ts); returns problems it reported itself. */
function normalise (layers: Layers): Map<string, string> {
  const reported = new Map<string, string>()
  for (const node of listSchemaNodes()) {
    const coerce = keyword(node.schema, 'coerce')
    const parent = valueAt(layers.tree, node.path.slice(0, -1))
    const key = node.path[node.path.length - 1] as string
    if (coerce === undefined || !isPlainObject(parent)) continue
    const value = parent[key]
    if (coerce === 'string' && typeof value === 'number') parent[key] = String(value)
    if (coerce === 'octal-mode' && typeof value === 'string' && /^0(o|O)?[0-7]+$/.test(value)) parent[key] = Number.parseInt(value.replace(/^0[oO]/, ''), 8)
    if (coerce === 'octal-mode' && typeof value === 'number' && value > 511 && /^[0-7]+$/.test(String(value))) {
      reported.set(pathKey(node.path), problemLine(node.path,
        `${value} is a decimal number, too large for a mode; write "0${value}" for the octal mode`, layers.sources))
    }
  }
  return reported
}

function decodePointer (pointer: string): string[] {
  return pointer.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function validate (layers: Layers, reported: Map<string, string>): string[] {
  const problems = [...reported.values()]
  const seen = new Set(reported.keys())
  for (const error of Value.Errors(ConfigSchema, layers.tree)) {
    const path = decodePointer(error.path)
    const isCovered = path.some((_, index) => seen.has(pathKey(path.slice(0, index + 1))))
    if (isCovered) continue
    seen.add(pathKey(path))
    const text = error.type === ValueErrorType.ObjectAdditionalProperties
      ? 'unknown key'
      : error.value === undefined
        ? `is required: expected ${describeExpected(error.schema)}`
        : `expected ${describeExpected(error.schema)}, got ${describeValue(error.value, error.schema)}`
    problems.push(problemLine(path, text, layers.sources))
  }
  return problems
}

export function deepFreeze<T> (value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const entry of Object.values(value)) deepFreeze(entry)
  }
  return value
}

/** Reads every source and validates the result; throws one ConfigError listing all problems. */
export function loadConfig (options: LoadConfigOptions): LoadedConfig {
  const layers = new Layers()
  const problems: string[] = []
  const warnings: string[] = []

  for (const file of splitConfigPaths(options.files).map(readConfigFile)) {
    if ('problem' in file) problems.push(file.problem)
    else layers.merge(file.data, `file ${file.path}`)
  }
  if (options.flags.dev !== undefined) layers.set(['dev'], options.flags.dev, 'flag --dev')
  if (options.flags.sqaOptOut !== undefined) layers.set(['sqa', 'opt_out'], options.flags.sqaOptOut, 'flag --sqa-opt-out')
  const env = settingsFromEnv(options.env)
  problems.push(...env.problems)
  for (const setting of env.settings) {
    const problem = layers.set(setting.path, setting.value, setting.source)
    if (problem !== undefined) problems.push(problem)
  }

  Value.Default(ConfigSchema, layers.tree) // fills sections that a source created without their defaults
  problems.push(...validate(layers, normalise(layers)))
  if (problems.length > 0) throw new ConfigError(problems)

  const forceHttp = options.flags.dangerousForceHttp === true
  if (forceHttp) {
    warnings.push('--dangerous-force-http is set: the issuer may use plain http. Only do this behind a TLS-terminating proxy on a network you trust.')
  }
  return { config: deepFreeze(layers.tree as Config), warnings, forceHttp, sources: layers.sources }
}
