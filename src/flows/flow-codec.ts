// Seals flow objects into challenges/verifiers: AEAD under secrets.system, purpose- and network-bound, compressed.
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { FlowPurposeValue } from './flow.js'

/** What sealing needs (structurally satisfied by keys/sealing.ts `Sealer`). */
export interface ValueSealer {
  seal(plaintext: string | Buffer, associatedData?: string): string
  tryOpen(sealed: string, associatedData?: string): Buffer | undefined
}

// Below this size compression costs more CPU than the bytes it saves in a URL.
const COMPRESS_ABOVE_BYTES = 256
const RAW = 0x6a // 'j'
const DEFLATED = 0x7a // 'z'
// Challenges arrive in URLs; anything longer than this is not ours, so never spend an AEAD pass on it.
const MAX_SEALED_LENGTH = 64 * 1024

export class FlowCodec {
  private readonly sealer: ValueSealer
  private readonly networkId: () => string

  constructor (sealer: ValueSealer, networkId: () => string) {
    this.sealer = sealer
    this.networkId = networkId
  }

  private associatedData (purpose: FlowPurposeValue): string {
    return JSON.stringify({ p: purpose, n: this.networkId() })
  }

  seal (value: object, purpose: FlowPurposeValue): string {
    const json = Buffer.from(JSON.stringify(value), 'utf8')
    const body = json.length > COMPRESS_ABOVE_BYTES
      ? Buffer.concat([Buffer.of(DEFLATED), deflateRawSync(json)])
      : Buffer.concat([Buffer.of(RAW), json])
    return this.sealer.seal(body, this.associatedData(purpose))
  }

  /** The object inside `sealed`, or undefined when it is forged, for another purpose or network, or garbage. */
  open<T> (sealed: string, purpose: FlowPurposeValue): T | undefined {
    if (sealed === '' || sealed.length > MAX_SEALED_LENGTH || !/^[A-Za-z0-9_-]+$/.test(sealed)) return undefined
    const opened = this.sealer.tryOpen(sealed, this.associatedData(purpose))
    if (opened === undefined || opened.length === 0) return undefined
    try {
      const json = opened[0] === DEFLATED ? inflateRawSync(opened.subarray(1)) : opened.subarray(1)
      const value = JSON.parse(json.toString('utf8')) as unknown
      return typeof value === 'object' && value !== null ? value as T : undefined
    } catch {
      return undefined
    }
  }
}
