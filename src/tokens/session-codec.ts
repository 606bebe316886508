// Serialises a TokenSession for `session_data`: JSON, AES-GCM sealed when oauth2.session.encrypt_at_rest is on.
import type { Sealer } from '../keys/sealing.js'
import { emptySession, type TokenSession } from './token.js'

const SEALED_PREFIX = 'sealed:'
const ASSOCIATED_DATA = 'hydra_oauth2 session_data'

// decode() fills in emptySession(), so top-level fields left at their empty default need not be stored: a
// client_credentials session shrinks to a third, which is less to seal and a leaner token row. Claims inside
// idTokenClaims/accessTokenClaims are kept exactly as given.
function isEmptyDefault (value: unknown): boolean {
  if (value === '' || value === null) return true
  if (Array.isArray(value)) return value.length === 0
  return typeof value === 'object' && Object.keys(value).length === 0
}

function storedFields (session: TokenSession): Partial<TokenSession> {
  return Object.fromEntries(Object.entries(session).filter(([, value]) => !isEmptyDefault(value)))
}

export class SessionCodec {
  private readonly sealer: Sealer
  private readonly isEncrypting: boolean

  constructor (sealer: Sealer, isEncrypting: boolean) {
    this.sealer = sealer
    this.isEncrypting = isEncrypting
  }

  encode (session: TokenSession): string {
    const json = JSON.stringify(storedFields(session))
    return this.isEncrypting ? `${SEALED_PREFIX}${this.sealer.seal(json, ASSOCIATED_DATA)}` : json
  }

  /** Reads either form (the setting may have changed since the row was written); undefined if unreadable. */
  decode (text: string): TokenSession | undefined {
    let json: string = text
    if (text.startsWith(SEALED_PREFIX)) {
      const opened = this.sealer.tryOpen(text.slice(SEALED_PREFIX.length), ASSOCIATED_DATA)
      if (opened === undefined) return undefined
      json = opened.toString('utf8')
    }
    try {
      return { ...emptySession(), ...JSON.parse(json) as Partial<TokenSession> }
    } catch {
      return undefined
    }
  }
}
