// Child processes for the benchmark: CPU pinning with taskset, readiness, memory of a process tree, clean stops.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

export const hasTaskset = spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0

/** Runs `command args` pinned to `cpus` (e.g. "0" or "0,1") when taskset exists; taskset execs, so the pid is the command's. */
export function spawnPinned (cpus: string | undefined, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const [file, argv] = hasTaskset && cpus !== undefined ? ['taskset', ['-c', cpus, command, ...args]] : [command, args]
  return spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Collects a child's output (for error messages) and resolves once a line matches `ready`. */
export async function waitForLine (child: ChildProcess, ready: RegExp, timeoutMs: number): Promise<string> {
  let output = ''
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no "${ready.source}" within ${timeoutMs} ms; output:\n${output}`)) }, timeoutMs)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = ready.exec(output)
      if (match !== null) { clearTimeout(timer); resolve(match[0]) }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${String(code)} before ready; output:\n${output}`)) })
  })
}

/** Polls `url` until it answers 200. */
export async function waitForHttp (url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exited = false
  child?.once('exit', () => { exited = true })
  for (;;) {
    try {
      const response = await fetch(url)
      await response.arrayBuffer()
      if (response.status === 200) return
    } catch {}
    if (exited) throw new Error(`the process exited before ${url} answered`)
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function statusField (pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match === null ? 0 : Number(match[1]) * 1024
  } catch {
    return 0
  }
}

/** `pid` and all its descendants (cluster workers), from /proc. */
export function processTree (pid: number): number[] {
  const parents = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The command name in field 2 may hold spaces; the parent pid follows the closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)])
    } catch {}
  }
  const tree: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const next = queue.shift() as number
    tree.push(next)
    queue.push(...(parents.get(next) ?? []))
  }
  return tree
}

/**
 * CPU time (user + system) used so far by a process tree, in microseconds, from /proc/<pid>/stat (clock ticks,
 * usually 10 ms each). Per-request CPU time is what the server would need on a core of its own, so it stays
 * meaningful when other processes compete for the server's CPU and req/s does not.
 */
export function treeCpuMicros (pid: number): number {
  let ticks = 0
  for (const member of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${member}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the command name.
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {}
  }
  return ticks * (1e6 / CLOCK_TICKS_PER_SECOND)
}

// USER_HZ is 100 on every mainstream Linux build (sysconf(_SC_CLK_TCK)); Node has no API to read it.
const CLOCK_TICKS_PER_SECOND = 100

/** Resident memory of a process tree, in bytes (Linux; 0 elsewhere). */
export function treeRss (pid: number): number {
  return processTree(pid).reduce((sum, member) => sum + statusField(member, 'VmRSS'), 0)
}

/** Samples the tree's RSS every 200 ms; `stop()` returns the peak seen. */
export function sampleRss (pid: number): { stop(): number } {
  let peak = treeRss(pid)
  const timer = setInterval(() => { peak = Math.max(peak, treeRss(pid)) }, 200)
  return { stop: () => { clearInterval(timer); return Math.max(peak, treeRss(pid)) } }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
export async function stopProcess (child: ChildProcess, graceMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
  return await new Promise((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL') }, graceMs)
    child.once('exit', (code) => { clearTimeout(timer); resolve(code) })
    child.kill('SIGTERM')
  })
}
