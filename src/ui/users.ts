// The demo user store: a list of users with scrypt-hashed passwords, from a YAML/JSON file or the default foo@bar.com.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

export interface DemoUser {
  /** The `subject` sent to Warden; defaults to the email address, as in Hydra's example app. */
  subject: string
  email: string
  name: string
  /** `scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>` */
  passwordHash: string
}

const KEY_LENGTH = 32
const COST = { N: 16384, r: 8, p: 1 }

function scrypt (password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => {
      if (error === null) resolve(key)
      else reject(error)
    })
  })
}

/** Hashes a password for the users file (`warden` prints these with `node dist/src/ui/hash-password.js`). */
export async function hashPassword (password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, COST)
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Constant-time check of a password against a stored hash; a malformed hash never matches. */
export async function verifyPassword (password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64url')
  try {
    const actual = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) })
    return actual.length === expected.length && timingSafeEqual(actual, expected)
  } catch {
    return false
  }
}

export class UserStore {
  private readonly byEmail: Map<string, DemoUser>
  private readonly bySubject: Map<string, DemoUser>
  // A dummy hash checked for unknown emails, so a wrong email takes as long as a wrong password.
  private readonly decoyHash: string
  /** Set for the built-in foo@bar.com account, so the login page may show it. */
  readonly demoAccount: { email: string, password: string } | undefined

  constructor (users: readonly DemoUser[], decoyHash: string, demoAccount?: { email: string, password: string }) {
    this.demoAccount = demoAccount
    this.byEmail = new Map(users.map((user) => [user.email.toLowerCase(), user]))
    this.bySubject = new Map(users.map((user) => [user.subject, user]))
    this.decoyHash = decoyHash
  }

  /** The user whose email and password match, or undefined. */
  async authenticate (email: string, password: string): Promise<DemoUser | undefined> {
    const user = this.byEmail.get(email.trim().toLowerCase())
    const isValid = await verifyPassword(password, user?.passwordHash ?? this.decoyHash)
    return user !== undefined && isValid ? user : undefined
  }

  findBySubject (subject: string): DemoUser | undefined {
    return this.bySubject.get(subject)
  }
}

/** Hydra's example login app accepts foo@bar.com / foobar; so does this one when no users file is given. */
export async function defaultUsers (): Promise<DemoUser[]> {
  return [{ subject: 'foo@bar.com', email: 'foo@bar.com', name: 'Foo Bar', passwordHash: await hashPassword('foobar') }]
}

/**
 * Reads a users file: a YAML or JSON list of `{ email, name, password_hash, subject? }`.
 * Throws an Error naming the file and the entry that is wrong.
 */
export function readUsersFile (path: string): DemoUser[] {
  const text = readFileSync(path, 'utf8')
  const parsed: unknown = parse(text)
  const list = Array.isArray(parsed) ? parsed : (parsed as { users?: unknown } | null)?.users
  if (!Array.isArray(list)) throw new Error(`${path}: expected a list of users (or "users:" holding one)`)
  return list.map((entry: unknown, index) => {
    const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>
    const text = (key: string): string | undefined => typeof record[key] === 'string' && record[key] !== '' ? record[key] : undefined
    const email = text('email')
    const hash = text('password_hash')
    if (email === undefined || hash === undefined || !hash.startsWith('scrypt$')) {
      throw new Error(`${path}: user ${index + 1} needs "email" and "password_hash" (scrypt$..., see docs/quickstart.md)`)
    }
    return { subject: text('subject') ?? email, email, name: text('name') ?? email, passwordHash: hash }
  })
}

export async function loadUserStore (usersFile: string | undefined): Promise<UserStore> {
  const decoy = await hashPassword(randomBytes(12).toString('hex'))
  if (usersFile !== undefined) return new UserStore(readUsersFile(usersFile), decoy)
  return new UserStore(await defaultUsers(), decoy, { email: 'foo@bar.com', password: 'foobar' })
}
