// Reads `-c/--config` files: YAML or JSON, chosen by extension, else by content.
import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { parse as parseYaml, type Tags } from 'yaml'

export type ConfigFile = { path: string, data: Record<string, unknown> } | { path: string, problem: string }

// Go's YAML reader (which Hydra uses) reads an unquoted `0770` as octal; YAML 1.2 would read 770.
// Socket modes are written that way, so keep Hydra's reading.
const goOctal = {
  identify: (value: unknown) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^0[0-7]+$/,
  resolve: (text: string) => Number.parseInt(text, 8)
}

function parseText (path: string, text: string): unknown {
  const extension = extname(path).toLowerCase()
  const isJson = extension === '.json' || (extension !== '.yaml' && extension !== '.yml' && /^\s*\{/.test(text))
  if (isJson) return JSON.parse(text)
  return parseYaml(text, { merge: true, customTags: (tags: Tags) => [goOctal, ...tags] })
}

function firstLine (error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0] ?? message
}

export function readConfigFile (path: string): ConfigFile {
  if (extname(path).toLowerCase() === '.toml') return { path, problem: `config file ${path}: TOML is not supported; use YAML or JSON` }
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : firstLine(error)
    return { path, problem: `config file ${path}: cannot be read (${reason})` }
  }
  let data: unknown
  try {
    data = parseText(path, text)
  } catch (error) {
    return { path, problem: `config file ${path}: cannot be parsed: ${firstLine(error)}` }
  }
  if (data === null || data === undefined) return { path, data: {} } // an empty (or comments-only) file
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { path, problem: `config file ${path}: expected a mapping of config keys at the top level, got ${Array.isArray(data) ? 'a list' : typeof data}` }
  }
  return { path, data: data as Record<string, unknown> }
}

/** `-c a.yaml,b.yaml -c c.json` → three paths, in order (Hydra accepts both forms). */
export function splitConfigPaths (files: readonly string[]): string[] {
  return files.flatMap((entry) => entry.split(',')).map((path) => path.trim()).filter((path) => path !== '')
}
