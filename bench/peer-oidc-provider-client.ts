// The one client the peer (bench/peer-oidc-provider.ts) knows; shared so the load generator can authenticate as it.
export const PEER_CLIENT = { id: 'bench', secret: 'bench-secret-bench-secret', scope: 'api:read api:write' }
