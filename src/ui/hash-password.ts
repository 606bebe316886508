// Prints the scrypt hash of a password for the UI's users file: `node dist/src/ui/hash-password.js 's3cret'`.
import { hashPassword } from './users.js'

const password = process.argv[2]
if (password === undefined || password === '') {
  process.stderr.write('usage: node dist/src/ui/hash-password.js <password>\n')
  process.exitCode = 2
} else {
  process.stdout.write(`${await hashPassword(password)}\n`)
}
