// The development data folder `npm start` uses: created on demand, with a system secret kept beside the database.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { randomString } from '../lib/random.js'

export const DEV_DATA_DIRECTORY = './data'
const SECRET_FILE = 'dev-system-secret'
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/**
 * For the development database only (dev mode with no dsn configured): reads, or creates with mode 0600, the
 * secret that seals that database's keys. Any other database gets undefined, so a random secret as before.
 */
export function developmentSystemSecret (isUsingDevDsn: boolean, directory = DEV_DATA_DIRECTORY): { secret: string, path: string } | undefined {
  if (!isUsingDevDsn) return undefined
  const folder = resolve(directory)
  mkdirSync(folder, { recursive: true })
  const path = join(folder, SECRET_FILE)
  if (existsSync(path)) {
    const secret = readFileSync(path, 'utf8').trim()
    if (secret.length >= 16) return { secret, path }
  }
  const secret = randomString(32, ALPHANUMERIC)
  writeFileSync(path, `${secret}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
  return { secret, path }
}
