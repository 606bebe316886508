// IPv4/IPv6 CIDR parsing and matching, for trusted TLS-terminating proxies.
import { BlockList, isIP } from 'node:net'

export interface CidrList {
  contains(address: string): boolean
}

function stripMappedPrefix (address: string): string {
  // An IPv4 peer on a dual-stack socket shows up as ::ffff:a.b.c.d.
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address
}

/** Parses CIDRs (or bare addresses); throws naming the first entry that is not one. */
export function parseCidrList (entries: readonly string[]): CidrList {
  const list = new BlockList()
  for (const entry of entries) {
    const [address = '', prefixText] = entry.trim().split('/')
    const family = isIP(address)
    if (family === 0) throw new Error(`"${entry}" is not an IP address or CIDR range`)
    const type = family === 4 ? 'ipv4' : 'ipv6'
    const maxPrefix = family === 4 ? 32 : 128
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText)
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
      throw new Error(`"${entry}" has an invalid prefix length (expected 0-${maxPrefix})`)
    }
    list.addSubnet(address, prefix, type)
  }
  return {
    contains (raw: string): boolean {
      const address = stripMappedPrefix(raw.trim())
      const family = isIP(address)
      if (family === 0) return false
      return list.check(address, family === 4 ? 'ipv4' : 'ipv6')
    }
  }
}
