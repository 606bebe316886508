// UNIX socket listeners: replace a stale socket file safely, then apply the configured owner, group and mode.
import { execFile } from 'node:child_process'
import { chmod, chown, lstat, readFile, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { promisify } from 'node:util'
import type { ListenerConfig, ListenerName } from '../http/http-config.js'

const execFileAsync = promisify(execFile)

export function socketPathOf (host: string): string {
  return host.slice('unix:'.length)
}

function isSocketAlive (path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect({ path })
    probe.once('connect', () => { probe.destroy(); resolve(true) })
    probe.once('error', () => resolve(false))
  })
}

/**
 * Removes a socket file left behind by a previous run. Refuses to touch anything that is not a socket, and a
 * socket another process still answers on.
 */
export async function prepareSocketPath (path: string, listener: ListenerName): Promise<void> {
  if (!path.startsWith('/')) throw new Error(`serve.${listener}.host: the UNIX socket path "${path}" must be absolute (unix:/path/to/socket)`)
  let stats
  try {
    stats = await lstat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw new Error(`serve.${listener}.host: cannot inspect ${path}: ${(error as Error).message}`)
  }
  if (!stats.isSocket()) throw new Error(`serve.${listener}.host: ${path} exists and is not a socket; refusing to delete it`)
  if (await isSocketAlive(path)) throw new Error(`serve.${listener}.host: another process is listening on the socket ${path}`)
  await rm(path, { force: true })
}

async function resolveUserId (name: string, key: string): Promise<number> {
  if (/^\d+$/.test(name)) return Number(name)
  try {
    const { stdout } = await execFileAsync('id', ['-u', '--', name])
    const uid = Number(stdout.trim())
    if (Number.isInteger(uid)) return uid
  } catch { /* reported below */ }
  throw new Error(`${key}: unknown user "${name}"`)
}

function gidFromGroupLine (text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    const [groupName, , gid] = line.split(':')
    if (groupName === name && gid !== undefined && /^\d+$/.test(gid)) return Number(gid)
  }
  return undefined
}

async function resolveGroupId (name: string, key: string): Promise<number> {
  if (/^\d+$/.test(name)) return Number(name)
  let gid: number | undefined
  try {
    gid = gidFromGroupLine((await execFileAsync('getent', ['group', name])).stdout, name)
  } catch {
    // getent exits non-zero for unknown groups and may be missing; /etc/group is the fallback.
    gid = gidFromGroupLine(await readFile('/etc/group', 'utf8').catch(() => ''), name)
  }
  if (gid === undefined) throw new Error(`${key}: unknown group "${name}"`)
  return gid
}

/** chmod, then chown when an owner or group is configured; errors name the config key. */
export async function applySocketPermissions (path: string, socket: ListenerConfig['socket'], listener: ListenerName): Promise<void> {
  const prefix = `serve.${listener}.socket`
  try {
    await chmod(path, socket.mode)
  } catch (error) {
    throw new Error(`${prefix}.mode: cannot set mode ${socket.mode.toString(8)} on ${path}: ${(error as Error).message}`)
  }
  if (socket.owner === '' && socket.group === '') return
  const uid = socket.owner === '' ? -1 : await resolveUserId(socket.owner, `${prefix}.owner`)
  const gid = socket.group === '' ? -1 : await resolveGroupId(socket.group, `${prefix}.group`)
  try {
    await chown(path, uid, gid)
  } catch (error) {
    const key = socket.owner === '' ? `${prefix}.group` : `${prefix}.owner`
    throw new Error(`${key}: cannot change the owner of ${path}: ${(error as Error).message}`)
  }
}
