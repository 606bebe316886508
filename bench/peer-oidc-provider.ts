// The benchmark's peer: panva's oidc-provider 9 with one client_credentials client, in-memory adapter, introspection on.
//
//   node dist/bench/peer-oidc-provider.js <port> [opaque|ES256|RS256]
//
// Prints "ready <port>" on stdout once listening. Secrets are compared in plaintext and tokens live in the default
// in-memory LRU adapter: this is the cheapest a spec-complete Node server gets, which is why it is the yardstick.
import { generateKeyPairSync } from 'node:crypto'
import Provider from 'oidc-provider'
import { PEER_CLIENT } from './peer-oidc-provider-client.js'

const RESOURCE = 'urn:warden:bench'

function signingKeys (): Array<Record<string, unknown>> {
  // 2048-bit RSA like Warden's benchmark key (Hydra generates 4096-bit ones; see docs/performance.md).
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })
  return [{ ...rsa, alg: 'RS256', use: 'sig', kid: 'rs' }, { ...ec, alg: 'ES256', use: 'sig', kid: 'es' }]
}

function startPeer (port: number, format: string): void {
  const isJwt = format === 'ES256' || format === 'RS256'
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [{
      client_id: PEER_CLIENT.id,
      client_secret: PEER_CLIENT.secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: PEER_CLIENT.scope,
      token_endpoint_auth_method: 'client_secret_basic'
    }],
    scopes: ['api:read', 'api:write'],
    jwks: { keys: signingKeys() },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      // JWT access tokens come from resource servers; the opaque run leaves resource indicators off.
      resourceIndicators: isJwt
        ? {
            enabled: true,
            defaultResource: () => RESOURCE,
            useGrantedResource: () => true,
            getResourceServerInfo: () => ({ scope: PEER_CLIENT.scope, accessTokenFormat: 'jwt', jwt: { sign: { alg: format } } })
          }
        : { enabled: false }
    }
  })
  // Errors are part of the benchmark's failure check (non-2xx counts), not something to log per request.
  provider.on('server_error', (_ctx: unknown, error: unknown) => { process.stderr.write(`server_error: ${String(error)}\n`) })
  provider.listen(port, '127.0.0.1', () => { process.stdout.write(`ready ${port}\n`) })
}

const [portText = '0', format = 'opaque'] = process.argv.slice(2)
startPeer(Number(portText), format)
