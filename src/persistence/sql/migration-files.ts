// Finds the versioned migration files for a dialect and splits each into statements.
//
// File names: `<14-digit version>_<name>[.<sqlite|postgres|mysql>].<up|down>.sql`. A file with a dialect suffix
// wins over the generic file of the same version and direction. A version with no file for a dialect does not
// exist for that dialect. (`.cockroach.` files are accepted and ignored: cockroach:// uses the postgres files.)
//
// Statements are split on `;`. Semicolons inside quotes ('…', "…", MySQL `…`), comments (-- …, /* … */, MySQL
// # …) and PostgreSQL dollar-quoted bodies ($$ … $$, $tag$ … $tag$) do not split. Compound statements whose
// body holds bare semicolons (a SQLite or MySQL trigger's BEGIN … END) are NOT supported: avoid them.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Dialect } from './database.js'

export const MIGRATION_FILE_PATTERN = /^(\d{14})_([A-Za-z0-9_-]+?)(?:\.(sqlite|postgres|mysql|cockroach))?\.(up|down)\.sql$/

export interface MigrationDefinition {
  version: string
  name: string
  upFile: string
  upStatements: string[]
  /** Absent when the version has no down file for this dialect; rolling it back is then refused. */
  downFile?: string
  downStatements?: string[]
}

/** The project root (the folder whose package.json is Warden's), found from this file in src/ or dist/src/. */
export function packageRoot (): string {
  let folder = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(folder, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'warden') return folder
    const parent = dirname(folder)
    if (parent === folder) throw new Error('cannot find Warden\'s package.json above the migrator; pass the migrations directory explicitly')
    folder = parent
  }
}

/** The .sql files ship in src/ (tsc does not copy them), so dist/ code reads them from there too. */
export function defaultMigrationsDirectory (): string {
  return join(packageRoot(), 'src', 'persistence', 'sql', 'migrations')
}

interface FilePick { path: string, isSpecific: boolean }

export function loadMigrations (directory: string, dialect: Dialect): MigrationDefinition[] {
  const names = new Map<string, string>()
  const picks = new Map<string, { up?: FilePick, down?: FilePick }>()
  for (const file of readdirSync(directory).sort()) {
    if (!file.endsWith('.sql')) continue
    const match = MIGRATION_FILE_PATTERN.exec(file)
    if (match === null) throw new Error(`migration file name "${file}" does not match <14 digits>_<name>[.<sqlite|postgres|mysql>].<up|down>.sql`)
    const [, version = '', name = '', fileDialect, direction = 'up'] = match
    const known = names.get(version)
    if (known !== undefined && known !== name) throw new Error(`migration version ${version} has two names: "${known}" and "${name}"`)
    names.set(version, name)
    if (fileDialect !== undefined && fileDialect !== dialect) continue
    const entry = picks.get(version) ?? {}
    const current = entry[direction as 'up' | 'down']
    const candidate = { path: join(directory, file), isSpecific: fileDialect !== undefined }
    if (current === undefined || (candidate.isSpecific && !current.isSpecific)) entry[direction as 'up' | 'down'] = candidate
    picks.set(version, entry)
  }
  const definitions: MigrationDefinition[] = []
  for (const [version, { up, down }] of [...picks].sort(([a], [b]) => a.localeCompare(b))) {
    if (up === undefined) {
      if (down !== undefined) throw new Error(`migration ${version} has a down file but no up file for ${dialect}`)
      continue
    }
    const definition: MigrationDefinition = {
      version,
      name: names.get(version) ?? '',
      upFile: up.path,
      upStatements: splitSqlStatements(readFileSync(up.path, 'utf8'), dialect)
    }
    if (down !== undefined) {
      definition.downFile = down.path
      definition.downStatements = splitSqlStatements(readFileSync(down.path, 'utf8'), dialect)
    }
    definitions.push(definition)
  }
  return definitions
}

/** Index just past the closing quote, honouring doubled quotes and (where the dialect has them) backslashes. */
function skipQuoted (text: string, start: number, quote: string, backslashEscapes: boolean): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]
    if (backslashEscapes && c === '\\') { i++; continue }
    if (c === quote) {
      if (text[i + 1] === quote) { i++; continue }
      return i + 1
    }
  }
  return text.length
}

function skipTo (text: string, from: number, terminator: string): number {
  const at = text.indexOf(terminator, from)
  return at === -1 ? text.length : at + terminator.length
}

export function splitSqlStatements (text: string, dialect: Dialect): string[] {
  const statements: string[] = []
  let start = 0
  let hasCode = false
  let i = 0
  while (i < text.length) {
    const c = text[i] as string
    const next = text[i + 1]
    if ((c === '-' && next === '-') || (c === '#' && dialect === 'mysql')) { i = skipTo(text, i, '\n'); continue }
    if (c === '/' && next === '*') { i = skipTo(text, i + 2, '*/'); continue }
    if (c === '\'' || c === '"' || (c === '`' && dialect === 'mysql')) {
      const escapes = c === '\'' && (dialect === 'mysql' || (dialect === 'postgres' && /[eE]/.test(text[i - 1] ?? '')))
      i = skipQuoted(text, i, c, escapes || (c === '"' && dialect === 'mysql'))
      hasCode = true
      continue
    }
    if (c === '$' && dialect === 'postgres') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64))
      if (tag !== null) {
        i = skipTo(text, i + tag[0].length, tag[0])
        hasCode = true
        continue
      }
    }
    if (c === ';') {
      if (hasCode) statements.push(text.slice(start, i).trim())
      start = i + 1
      hasCode = false
      i++
      continue
    }
    if (!/\s/.test(c)) hasCode = true
    i++
  }
  if (hasCode) statements.push(text.slice(start).trim())
  return statements
}
