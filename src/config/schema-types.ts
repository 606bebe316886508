// Small TypeBox builders so each config key states its type, default and description in one call.
import { FormatRegistry, Type, type TProperties, type TSchema } from '@sinclair/typebox'
import { GO_DURATION_PATTERN } from '../lib/duration.js'

/*
 * Extra keywords the config code reads from schema nodes (TypeBox keeps unknown keywords as they are):
 *   expected   how a problem line describes a valid value, when the generic wording would be vague
 *   sensitive  never echo the value in a problem line (secrets, DSNs with passwords)
 *   coerce     'string': a number written in YAML (`0`, `-1`) is read as its text;
 *              'octal-mode': "0770" is read as the octal number 504 (see load-normalise.ts)
 */
export interface ConfigKeywords {
  expected?: string
  sensitive?: boolean
  coerce?: 'string' | 'octal-mode'
}

export function isHttpUrl (text: string): boolean {
  try {
    const { protocol } = new URL(text)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

// A private format name, so nobody else's 'uri' semantics (or ours on theirs) leak across TypeBox users.
export const URL_FORMAT = 'warden-http-url'
FormatRegistry.Set(URL_FORMAT, isHttpUrl)

export const DURATION_EXPECTED = 'a duration such as "30s", "15m" or "1h30m"'

/** An object section: unknown keys are errors and the section always exists after defaults are applied. */
export function Section<T extends TProperties> (description: string, properties: T) {
  return Type.Object(properties, { additionalProperties: false, default: {}, description })
}

/** An object that only exists when configured (no default). */
export function OptionalObject<T extends TProperties> (description: string, properties: T) {
  return Type.Optional(Type.Object(properties, { additionalProperties: false, description }))
}

export function Bool (defaultValue: boolean, description: string) {
  return Type.Boolean({ default: defaultValue, description })
}

export function Int (defaultValue: number, description: string, range: { minimum?: number, maximum?: number } = {}) {
  return Type.Integer({ default: defaultValue, description, ...range })
}

export function Str (defaultValue: string, description: string, extra: ConfigKeywords = {}) {
  return Type.String({ default: defaultValue, description, ...extra })
}

export function OptionalStr (description: string, extra: ConfigKeywords & { minLength?: number, pattern?: string } = {}) {
  return Type.Optional(Type.String({ description, ...extra }))
}

export function OptionalUrl (description: string) {
  return Type.Optional(Type.String({ format: URL_FORMAT, description }))
}

export function StrList (defaultValue: string[], description: string) {
  return Type.Array(Type.String(), { default: defaultValue, description })
}

export function Duration (defaultValue: string, description: string) {
  return Type.String({ pattern: GO_DURATION_PATTERN, default: defaultValue, description, expected: DURATION_EXPECTED, coerce: 'string' })
}

export function Enum<const T extends string[]> (values: [...T], defaultValue: T[number], description: string) {
  return Type.Union(values.map((value) => Type.Literal(value)), { default: defaultValue, description })
}

export function OptionalEnum<const T extends string[]> (values: [...T], description: string) {
  return Type.Optional(Type.Union(values.map((value) => Type.Literal(value)), { description }))
}

/** Reads one of the extra keywords above from a schema node. */
export function keyword<K extends keyof ConfigKeywords> (schema: TSchema, name: K): ConfigKeywords[K] {
  return (schema as ConfigKeywords)[name]
}
