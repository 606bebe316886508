// Decides whether `serve` runs the bundled login UI (src/ui), points urls.login/consent/logout at it, and starts it.
import { createHash } from 'node:crypto'
import { deepFreeze } from '../config/load.js'
import type { Config } from '../config/schema.js'
import type { ServeMode } from '../config/serve-checks.js'
import { selfUrls } from '../config/urls.js'
import { startLoginUi, UiPortInUseError, type RunningLoginUi } from '../ui/ui-server.js'
import { CliError } from './cli-error.js'

export interface BundledUiPlan {
  isEnabled: boolean
  /** The config to serve with: with the UI's URLs filled in when it is enabled, else the input unchanged. */
  config: Readonly<Config>
  /** http://127.0.0.1:<serve.ui.port>/ */
  url: string
  warnings: string[]
}

/**
 * `--ui` / `--no-ui` decide when given. Otherwise the UI runs for `serve all` in dev mode when the operator has not
 * configured a login app (neither urls.login nor urls.consent), like Hydra's quickstart but without a third service.
 * The URLs must be in the config before the container is built, because the flow engine reads them once.
 */
export function planBundledUi (config: Readonly<Config>, mode: ServeMode, flag: boolean | undefined): BundledUiPlan {
  const url = `http://127.0.0.1:${config.serve.ui.port}/`
  const hasOwnApp = config.urls.login !== undefined || config.urls.consent !== undefined
  const isEnabled = flag ?? (config.dev && mode === 'all' && !hasOwnApp)
  if (!isEnabled) return { isEnabled, config, url, warnings: [] }
  const warnings = hasOwnApp ? ['--ui: the bundled login UI replaces the configured urls.login / urls.consent / urls.logout for this run'] : []
  const next = structuredClone(config) as Config
  next.urls.login = `${url}login`
  next.urls.consent = `${url}consent`
  next.urls.logout = `${url}logout`
  // Only when unset: an operator's own post-logout page is never replaced.
  next.urls.post_logout_redirect ??= `${url}signed-out`
  return { isEnabled, config: deepFreeze(next), url, warnings }
}

/** Starts the UI on serve.ui.port; a taken port becomes a one-line message saying how to pick another. */
export async function startBundledUi (config: Readonly<Config>, onError: (error: unknown) => void): Promise<RunningLoginUi> {
  const urls = selfUrls(config)
  try {
    return await startLoginUi({
      port: config.serve.ui.port,
      adminUrl: urls.admin,
      publicUrl: urls.public,
      ...(config.serve.ui.users_file === undefined ? {} : { usersFile: config.serve.ui.users_file }),
      // Derived from the system secret, so every serve.workers process accepts the forms any of them rendered.
      csrfKey: createHash('sha256').update(`warden bundled ui csrf\n${config.secrets.system[0] ?? ''}`).digest(),
      onError
    })
  } catch (error) {
    if (error instanceof UiPortInUseError) {
      throw new CliError(`Warden could not start: port ${error.port} for the bundled login UI (serve.ui.port) is already in use, ` +
        'perhaps by another `warden serve --dev`. Pick another port with SERVE_UI_PORT=3001 (or serve.ui.port in a config file), ' +
        'or start without the UI with --no-ui.')
    }
    if (error instanceof Error && !(error instanceof CliError)) throw new CliError(`Warden could not start the bundled login UI: ${error.message}`)
    throw error
  }
}
