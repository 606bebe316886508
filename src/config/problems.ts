// ConfigError and the wording of config problem lines: `key: expected X, got Y (from SOURCE)`.
import type { TSchema } from '@sinclair/typebox'
import { keyword, URL_FORMAT } from './schema-types.js'

/** Every problem found while loading or checking the config, one line each. */
export class ConfigError extends Error {
  readonly problems: string[]

  constructor (problems: string[]) {
    super(problems.join('\n'))
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/** Where a value came from, e.g. `file /etc/warden.yaml`, `env SERVE_PUBLIC_PORT`, `flag --dev`, `default`. */
export type SourceMap = ReadonlyMap<string, string>

/** Internal key of a path in a SourceMap. */
export function pathKey (path: readonly string[]): string {
  return path.join('\u0000')
}

/**
 * The source of the value at `path`: the nearest ancestor (or itself) that some source set; for an object
 * whose members were set one by one, the source of its first such member.
 */
export function sourceOf (sources: SourceMap | undefined, path: readonly string[]): string {
  if (sources === undefined) return 'default'
  for (let length = path.length; length > 0; length--) {
    const found = sources.get(pathKey(path.slice(0, length)))
    if (found !== undefined) return found
  }
  const prefix = `${pathKey(path)}\u0000`
  for (const [key, source] of sources) if (key.startsWith(prefix)) return source
  return 'default'
}

/** `serve.public.port`, `secrets.system[1]`. */
export function displayPath (path: readonly string[]): string {
  return path.reduce((text, segment) => /^\d+$/.test(segment) ? `${text}[${segment}]` : text === '' ? segment : `${text}.${segment}`, '')
}

/** One problem line; `from` is a source map to look the path up in, or the source itself. */
export function problemLine (path: readonly string[], text: string, from?: SourceMap | string): string {
  const source = typeof from === 'string' ? from : sourceOf(from, path)
  return `${displayPath(path)}: ${text} (from ${source})`
}

function article (word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`
}

function describeRange (noun: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${article(noun)} between ${min} and ${max}`
  if (min !== undefined) return `${article(noun)} of at least ${min}`
  if (max !== undefined) return `${article(noun)} of at most ${max}`
  return article(noun)
}

/** Plain-words description of the values a schema node accepts. */
export function describeExpected (schema: TSchema): string {
  const custom = keyword(schema, 'expected')
  if (custom !== undefined) return custom
  if (Array.isArray(schema.anyOf)) {
    const members = schema.anyOf as TSchema[]
    if (members.every((member) => member.const !== undefined)) return `one of ${members.map((member) => JSON.stringify(member.const)).join(', ')}`
    return members.map(describeExpected).join(' or ')
  }
  switch (schema.type) {
    case 'integer': return describeRange('integer', schema.minimum, schema.maximum)
    case 'number': return describeRange('number', schema.minimum, schema.maximum)
    case 'boolean': return 'true or false'
    case 'string':
      if (schema.format === URL_FORMAT) return 'an absolute http(s) URL'
      if (schema.minLength !== undefined) return `a string of at least ${schema.minLength} characters`
      return 'a string'
    case 'array': {
      const items = schema.items as TSchema
      return items.type === 'string' && items.minLength === undefined && items.anyOf === undefined
        ? 'a list of strings'
        : `a list whose entries are each ${describeExpected(items)}`
    }
    case 'object': return schema.patternProperties !== undefined ? 'a map of strings' : 'an object'
    default: return 'a valid value'
  }
}

/** A value as shown after `got`, without revealing sensitive ones. */
export function describeValue (value: unknown, schema?: TSchema): string {
  if (value === undefined) return 'nothing'
  if (schema !== undefined && keyword(schema, 'sensitive') === true) {
    return typeof value === 'string' ? `a hidden value of ${[...value].length} characters` : `a hidden ${Array.isArray(value) ? 'list' : typeof value}`
  }
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
