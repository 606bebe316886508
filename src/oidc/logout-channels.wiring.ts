// Builds the front-/back-channel LogoutNotifier from Config, and the hook that drains its deliveries at shutdown.
import { privateIpGuard } from '../clients/private-ip-guard.js'
import type { Config } from '../config/schema.js'
import { selfUrls } from '../config/urls.js'
import type { RouteRegistrar } from '../http/route-module.js'
import { ID_TOKEN_SET, type KeysService } from '../keys/keys.service.js'
import type { Clock } from '../lib/clock.js'
import { parseDurationMs } from '../lib/duration.js'
import { LogoutChannels, type LogoutChannelsDeps, type LogoutChannelsLog } from './logout-channels.js'

export interface LogoutChannelsWiring {
  keys: Pick<KeysService, 'signingKey'>
  clock: Clock
  log: LogoutChannelsLog
  /** Replaceable for tests. */
  fetch?: typeof fetch
}

export function buildLogoutChannels (config: Readonly<Config>, wiring: LogoutChannelsWiring): LogoutChannels {
  const { http } = config.clients
  const guard = http.disallow_private_ip_ranges ? privateIpGuard(http.private_ip_exception_urls) : undefined
  const deps: LogoutChannelsDeps = {
    issuer: selfUrls(config).issuer,
    clock: wiring.clock,
    signingKey: async () => await wiring.keys.signingKey(ID_TOKEN_SET),
    log: wiring.log,
    ...(guard === undefined ? {} : { checkUrl: async (url: string) => await guard({ backchannel_logout_uri: url }) }),
    ...(wiring.fetch === undefined ? {} : { fetch: wiring.fetch })
  }
  return new LogoutChannels(deps)
}

/**
 * Registered on every listener: when its app closes, running back-channel deliveries get serve.shutdown_timeout
 * to finish and are then aborted, so none outlives the server (the database closes right after).
 */
export function drainLogoutChannelsOnClose (channels: LogoutChannels, config: Readonly<Config>): RouteRegistrar {
  const graceMs = parseDurationMs(config.serve.shutdown_timeout)
  return (app) => {
    app.addHook('onClose', async () => { await channels.drain(graceMs) })
  }
}
