// CSRF protection for the UI's forms: a random cookie plus a hidden field holding an HMAC of it bound to the challenge.
//
// GET  /login?login_challenge=C   → Set-Cookie: warden_ui_csrf=<random>   form field _csrf = HMAC(key, random ‖ C)
// POST /login (challenge=C, _csrf) → recompute from the cookie and compare in constant time.
//
// A page from another site can neither read the cookie nor compute the HMAC, and a token for one challenge is
// useless for another. The cookie is SameSite=Lax and scoped to this UI's origin, so Warden's own cookies are untouched.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const CSRF_COOKIE = 'warden_ui_csrf'
export const CSRF_FIELD = '_csrf'

export type CsrfCheck = 'ok' | 'missing-cookie' | 'mismatch'

export class Csrf {
  private readonly key: Buffer

  constructor (key: Buffer = randomBytes(32)) {
    this.key = key
  }

  /** The cookie value to keep (the browser's, if it sent a well-formed one) and whether it must be (re)set. */
  cookieFor (presented: string | undefined): { value: string, isNew: boolean } {
    if (presented !== undefined && /^[A-Za-z0-9_-]{43}$/.test(presented)) return { value: presented, isNew: false }
    return { value: randomBytes(32).toString('base64url'), isNew: true }
  }

  token (cookieValue: string, challenge: string): string {
    return createHmac('sha256', this.key).update(`${cookieValue}\n${challenge}`).digest('base64url')
  }

  check (cookieValue: string | undefined, challenge: string, presented: string | undefined): CsrfCheck {
    if (cookieValue === undefined || cookieValue === '') return 'missing-cookie'
    const expected = Buffer.from(this.token(cookieValue, challenge))
    const actual = Buffer.from(presented ?? '')
    return actual.length === expected.length && timingSafeEqual(actual, expected) ? 'ok' : 'mismatch'
  }
}

export function csrfCookieHeader (value: string): string {
  return `${CSRF_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax`
}
