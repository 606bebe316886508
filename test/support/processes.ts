// Runs the built CLI (`node bin/warden.js ...`) as a child process for process-level tests.
//
//   const warden = spawnWarden(['serve', 'all', '--dev'], { env: { DSN: dsn, SERVE_ADMIN_PORT: '4445' } })
//   await warden.waitForLine(/listening on .*:4445/)
//   ... requests ...
//   const { code } = await warden.stop()            // SIGTERM, then waits for the exit
//
//   const { code, stderr } = await runWarden(['migrate', 'sql', 'up', '--yes', dsn])   // runs to completion
//
// Children get a minimal environment (PATH, HOME, TMPDIR) plus `env`, so config variables of the shell running the
// tests (DSN, LOG_LEVEL, ...) never leak into them. Waits are bounded: a timeout or an early exit rejects with
// the output collected so far.
import { spawn, type ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** bin/warden.js of this checkout (this file is compiled to dist/test/support/). */
export const WARDEN_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'warden.js')

const DEFAULT_TIMEOUT_MS = 60_000

export interface Exit { code: number | null, signal: NodeJS.Signals | null }

export interface SpawnOptions {
  env?: Record<string, string>
  cwd?: string
  /** Text written to STDIN, which is then closed (default: STDIN closed at once). */
  stdin?: string
}

export interface WardenProcess {
  child: ChildProcess
  readonly stdout: string
  readonly stderr: string
  /** Settles when the process has exited. */
  exited: Promise<Exit>
  /** Resolves with the first stderr or stdout line matching `pattern` (lines seen before the call count). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>
}

function childEnv (env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {}
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SystemRoot']) {
    const value = process.env[name]
    if (value !== undefined) base[name] = value
  }
  return { ...base, ...env }
}

export function spawnWarden (args: readonly string[], options: SpawnOptions = {}): WardenProcess {
  const child = spawn(process.execPath, [WARDEN_BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: childEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  const lines: string[] = []
  const waiters = new Set<{ pattern: RegExp, resolve: (line: string) => void }>()
  const onText = (chunk: Buffer, into: 'stdout' | 'stderr', state: { partial: string }): void => {
    const text = chunk.toString('utf8')
    if (into === 'stdout') stdout += text
    else stderr += text
    const parts = (state.partial + text).split('\n')
    state.partial = parts.pop() ?? ''
    for (const line of parts) {
      lines.push(line)
      for (const waiter of waiters) {
        if (waiter.pattern.test(line)) { waiters.delete(waiter); waiter.resolve(line) }
      }
    }
  }
  const outState = { partial: '' }
  const errState = { partial: '' }
  child.stdout?.on('data', (chunk: Buffer) => onText(chunk, 'stdout', outState))
  child.stderr?.on('data', (chunk: Buffer) => onText(chunk, 'stderr', errState))
  child.stdin?.on('error', () => {})
  child.stdin?.end(options.stdin ?? '')
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }))
  })

  const describe = (): string => `\n--- stderr ---\n${stderr}\n--- stdout ---\n${stdout}`
  const processHandle: WardenProcess = {
    child,
    get stdout () { return stdout },
    get stderr () { return stderr },
    exited,
    waitForLine: async (pattern, timeoutMs = DEFAULT_TIMEOUT_MS) => {
      const seen = lines.find((line) => pattern.test(line))
      if (seen !== undefined) return seen
      let timer: NodeJS.Timeout | undefined
      const waiter = { pattern, resolve: (_line: string) => {} }
      try {
        return await Promise.race([
          new Promise<string>((resolve) => { waiter.resolve = resolve; waiters.add(waiter) }),
          exited.then((exit) => { throw new Error(`warden exited (${String(exit.code ?? exit.signal)}) before logging ${String(pattern)}${describe()}`) }),
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`no line matching ${String(pattern)} within ${timeoutMs} ms${describe()}`)), timeoutMs)
          })
        ])
      } finally {
        waiters.delete(waiter)
        clearTimeout(timer)
      }
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return await exited
    }
  }
  return processHandle
}

export interface Completed extends Exit { stdout: string, stderr: string }

/** Runs a command to completion (killed after `timeoutMs`). */
export async function runWarden (args: readonly string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<Completed> {
  const warden = spawnWarden(args, options)
  const timer = setTimeout(() => warden.child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  try {
    const exit = await warden.exited
    return { ...exit, stdout: warden.stdout, stderr: warden.stderr }
  } finally {
    clearTimeout(timer)
  }
}

export interface HttpAnswer { status: number, headers: Record<string, string | string[] | undefined>, body: string }

/** One plain-HTTP GET (or other method) to a TCP URL or, with `socketPath`, over a UNIX socket. */
export function httpGet (url: string, options: { socketPath?: string, method?: string, headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({
      ...(options.socketPath === undefined ? { host: target.hostname, port: target.port } : { socketPath: options.socketPath }),
      path: `${target.pathname}${target.search}`,
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: false
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * Polls `url` until `isDone(answer)` holds (default: status 200). Used for state that changes in the background
 * (a database coming back), where no log line marks the moment; bounded by `timeoutMs`.
 */
export async function waitForHttp (url: string, options: { socketPath?: string, timeoutMs?: number, isDone?: (answer: HttpAnswer) => boolean } = {}): Promise<HttpAnswer> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const isDone = options.isDone ?? ((answer: HttpAnswer) => answer.status === 200)
  let last: HttpAnswer | Error | undefined
  for (;;) {
    try {
      last = await httpGet(url, options.socketPath === undefined ? {} : { socketPath: options.socketPath })
      if (isDone(last)) return last
    } catch (error) {
      last = error as Error
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not reach the expected state; last answer: ${last instanceof Error ? last.message : `${last.status} ${last.body}`}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
