// The version Warden reports (package.json), read once.
import { readFileSync } from 'node:fs'

let cached: string | undefined

export function wardenVersion (): string {
  if (cached === undefined) {
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
    cached = `v${manifest.version}`
  }
  return cached
}
