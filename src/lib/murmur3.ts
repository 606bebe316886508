// MurmurHash3 x86 32-bit (seed 0): Hydra names per-client CSRF cookies with its unsigned decimal value.

export function murmur3Hash32 (text: string, seed = 0): number {
  const data = Buffer.from(text, 'utf8')
  const c1 = 0xcc9e2d51
  const c2 = 0x1b873593
  let h = seed >>> 0
  const blocks = data.length - (data.length % 4)
  for (let i = 0; i < blocks; i += 4) {
    let k = data.readUInt32LE(i)
    k = Math.imul(k, c1); k = (k << 15) | (k >>> 17); k = Math.imul(k, c2)
    h ^= k; h = (h << 13) | (h >>> 19); h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  let k = 0
  const tail = data.length % 4
  if (tail === 3) k ^= (data[blocks + 2] as number) << 16
  if (tail >= 2) k ^= (data[blocks + 1] as number) << 8
  if (tail >= 1) {
    k ^= data[blocks] as number
    k = Math.imul(k, c1); k = (k << 15) | (k >>> 17); k = Math.imul(k, c2); h ^= k
  }
  h ^= data.length
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16
  return h >>> 0
}
