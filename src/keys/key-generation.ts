// Generates private JWKs for the algorithms Hydra generates, off the event loop (libuv thread pool).
import { generateKeyPair } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { randomId } from '../lib/random.js'
import { normaliseJwk } from './jwk.js'
import type { Jwk } from './jwk.js'

/** The `alg` values `POST /admin/keys/{set}` accepts (hydra-api.md §5.2). */
export const GENERATION_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const
export type GenerationAlgorithm = typeof GENERATION_ALGORITHMS[number]

export function isGenerationAlgorithm (alg: unknown): alg is GenerationAlgorithm {
  return typeof alg === 'string' && (GENERATION_ALGORITHMS as readonly string[]).includes(alg)
}

export interface GenerationOptions {
  /**
   * Overrides the RSA modulus length. Hydra uses 4096 bits for RS* and 2048 for PS*; tests pass 2048 because a
   * 4096-bit key takes about a second and a half of CPU.
   */
  rsaModulusBits?: number
}

export interface KeyRequest {
  alg: GenerationAlgorithm
  /** Defaults to a random UUID v4, like Hydra. */
  kid?: string
  /** Defaults to `sig`. */
  use?: 'sig' | 'enc'
}

const EC_CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }

function generatePrivateKey (alg: GenerationAlgorithm, options: GenerationOptions): Promise<KeyObject> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, _publicKey: KeyObject, privateKey: KeyObject): void => {
      if (error === null) resolve(privateKey)
      else reject(error)
    }
    if (alg.startsWith('RS') || alg.startsWith('PS')) {
      const bits = options.rsaModulusBits ?? (alg.startsWith('RS') ? 4096 : 2048)
      generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, done)
    } else if (alg === 'EdDSA') {
      generateKeyPair('ed25519', {}, done)
    } else {
      generateKeyPair('ec', { namedCurve: EC_CURVES[alg] as string }, done)
    }
  })
}

/** A new private JWK carrying `kid`, `alg` and `use`. */
export async function generateJwk (request: KeyRequest, options: GenerationOptions = {}): Promise<Jwk> {
  const privateKey = await generatePrivateKey(request.alg, options)
  const material = privateKey.export({ format: 'jwk' })
  const kid = request.kid === undefined || request.kid === '' ? randomId() : request.kid
  return normaliseJwk({ ...material, kty: material.kty as string, kid, alg: request.alg, use: request.use ?? 'sig' } as Jwk)
}
