// RFC 6902 JSON Patch, limited to `add`, `remove` and `replace` as Hydra supports them for client updates.

export interface PatchOperation {
  op: string
  path: string
  value?: unknown
  from?: string
}

export class JsonPatchError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'JsonPatchError'
  }
}

type Container = Record<string, unknown> | unknown[]

// RFC 6901 §3-4: "~1" is "/", "~0" is "~", decoded in that order.
function parsePointer (pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new JsonPatchError(`"${pointer}" is not a JSON pointer (it must start with "/")`)
  return pointer.slice(1).split('/').map((token) => {
    if (/~[^01]|~$/.test(token)) throw new JsonPatchError(`"${pointer}" contains an invalid escape sequence`)
    const decoded = token.replaceAll('~1', '/').replaceAll('~0', '~')
    // The JSON body parser refuses this key; a patch must not be a way around that.
    if (decoded === '__proto__') throw new JsonPatchError(`"${pointer}" addresses the reserved member "__proto__"`)
    return decoded
  })
}

function isContainer (value: unknown): value is Container {
  return typeof value === 'object' && value !== null
}

function arrayIndex (token: string, length: number, allowEnd: boolean, pointer: string): number {
  if (allowEnd && token === '-') return length
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new JsonPatchError(`"${pointer}" does not address an array element`)
  const index = Number(token)
  if (index > length || (!allowEnd && index === length)) throw new JsonPatchError(`"${pointer}" is out of bounds`)
  return index
}

// Writing with defineProperty keeps a key such as "__proto__" an ordinary own property.
function setMember (target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Walks to the parent of the pointer's last token; missing objects on the way are created (Hydra does the same). */
function parentOf (root: Container, tokens: string[], pointer: string, createMissing: boolean): Container {
  let current: Container = root
  for (const token of tokens.slice(0, -1)) {
    let next: unknown
    if (Array.isArray(current)) {
      next = current[arrayIndex(token, current.length, false, pointer)]
    } else {
      next = Object.hasOwn(current, token) ? current[token] : undefined
      if ((next === undefined || next === null) && createMissing) {
        next = {}
        setMember(current, token, next)
      }
    }
    if (!isContainer(next)) throw new JsonPatchError(`the parent of "${pointer}" does not exist`)
    current = next
  }
  return current
}

function applyOne (root: Container, operation: PatchOperation): void {
  const tokens = parsePointer(operation.path)
  const last = tokens.at(-1)
  if (last === undefined) throw new JsonPatchError('replacing the whole document is not supported')
  if (operation.op !== 'remove' && !('value' in operation)) throw new JsonPatchError(`operation "${operation.op}" on "${operation.path}" has no value`)
  const parent = parentOf(root, tokens, operation.path, operation.op !== 'remove')
  // Cloning keeps later operations from mutating a value shared with the patch document.
  const value = operation.value === undefined ? undefined : structuredClone(operation.value)
  if (Array.isArray(parent)) {
    if (operation.op === 'add') parent.splice(arrayIndex(last, parent.length, true, operation.path), 0, value)
    else if (operation.op === 'replace') parent[arrayIndex(last, parent.length, false, operation.path)] = value
    else parent.splice(arrayIndex(last, parent.length, false, operation.path), 1)
    return
  }
  if (operation.op === 'remove') {
    if (!Object.hasOwn(parent, last)) throw new JsonPatchError(`"${operation.path}" does not exist`)
    delete parent[last]
    return
  }
  // RFC 6902 §4.3 wants replace to fail on a missing member; Hydra treats it as add, and so do we.
  setMember(parent, last, value)
}

const SUPPORTED_OPS = new Set(['add', 'remove', 'replace'])

/**
 * Applies `patch` to a deep copy of `document` and returns the copy. Pointers listed in `forbiddenPaths`
 * (or below them) are refused, as is every operation other than add/remove/replace.
 */
export function applyJsonPatch<T> (document: T, patch: readonly PatchOperation[], forbiddenPaths: readonly string[] = []): T {
  const copy = structuredClone(document) as unknown
  if (!isContainer(copy)) throw new JsonPatchError('the document to patch is not an object or array')
  for (const operation of patch) {
    if (!SUPPORTED_OPS.has(operation.op)) {
      throw new JsonPatchError(`operation "${operation.op}" is not supported; use add, remove or replace`)
    }
    const forbidden = forbiddenPaths.find((path) => operation.path === path || operation.path.startsWith(`${path}/`))
    if (forbidden !== undefined) throw new JsonPatchError(`"${forbidden}" can not be changed with a patch`)
    applyOne(copy, operation)
  }
  return copy as T
}
