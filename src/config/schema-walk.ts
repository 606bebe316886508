// Lists the keys of the config schema, for the environment mapping and the generated docs.
import { OptionalKind, type TSchema } from '@sinclair/typebox'
import { ConfigSchema } from './schema.js'

export interface SchemaNode {
  /** Key segments, e.g. ['serve', 'public', 'port']. */
  path: string[]
  schema: TSchema
  /** An object with declared properties (a section), rather than a value. */
  isSection: boolean
}

function isSectionSchema (schema: TSchema): boolean {
  return schema.type === 'object' && schema.properties !== undefined
}

/** Every node below the root, parents before children, in declaration order. */
export function listSchemaNodes (root: TSchema = ConfigSchema): SchemaNode[] {
  const nodes: SchemaNode[] = []
  const visit = (schema: TSchema, path: string[]): void => {
    if (path.length > 0) nodes.push({ path, schema, isSection: isSectionSchema(schema) })
    if (!isSectionSchema(schema)) return
    for (const [key, child] of Object.entries(schema.properties as Record<string, TSchema>)) visit(child, [...path, key])
  }
  visit(root, [])
  return nodes
}

export function isOptionalSchema (schema: TSchema): boolean {
  return (schema as { [OptionalKind]?: string })[OptionalKind] === 'Optional'
}

/** Hydra's environment variable name of a key: segments joined with `_`, upper-cased. */
export function envNameOf (path: readonly string[]): string {
  return path.join('_').toUpperCase()
}
