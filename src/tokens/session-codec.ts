// Serialises a TokenSession for `session_data`: JSON, AES-GCM sealed when oauth2.session.encrypt_at_rest is on.
import type { Sealer } from '../keys/sealing.js'
import { emptySession, type TokenSession } from './token.js'

const SEALED_PREFIX = 'sealed:'
const ASSOCIATED_DATA = 'hydra_oauth2 session_data'

export class SessionCodec {
  private readonly sealer: Sealer
  private readonly isEncrypting: boolean

  constructor (sealer: Sealer, isEncrypting: boolean) {
    this.sealer = sealer
    this.isEncrypting = isEncrypting
  }

  encode (session: TokenSession): string {
    const json = JSON.stringify(session)
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
