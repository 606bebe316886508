// `clients.http.disallow_private_ip_ranges` for client URLs: every address a URL's host resolves to must be public.
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { parseCidrList } from '../lib/cidr.js'

// Loopback, RFC 1918 / RFC 4193 private, link-local, carrier-grade NAT, unspecified and multicast ranges.
const NON_PUBLIC = parseCidrList([
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16',
  '224.0.0.0/4', '::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8'
])

export type UrlGuard = (fields: Record<string, string>) => Promise<string | undefined>

type Resolver = (host: string) => Promise<string[]>

const resolveAll: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address)

/**
 * A guard that returns a message naming the first field whose host is (or resolves to) a non-public address,
 * or undefined when all are public. URLs listed in `exceptions` are not checked.
 */
export function privateIpGuard (exceptions: readonly string[] = [], resolve: Resolver = resolveAll): UrlGuard {
  return async (fields) => {
    for (const [field, value] of Object.entries(fields)) {
      if (value === '' || exceptions.includes(value)) continue
      let host: string
      try {
        host = new URL(value).hostname.replace(/^\[|\]$/g, '')
      } catch {
        return `${field} is not a valid URL`
      }
      let addresses: string[]
      try {
        addresses = isIP(host) === 0 ? await resolve(host) : [host]
      } catch {
        return `the host of ${field} (${host}) could not be resolved`
      }
      const blocked = addresses.find((address) => NON_PUBLIC.contains(address))
      if (blocked !== undefined) return `${field} (${value}) resolves to the non-public address ${blocked}`
    }
    return undefined
  }
}
