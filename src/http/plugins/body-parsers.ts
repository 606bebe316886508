// Strict JSON and form body parsers: UTF-8 only, no duplicate keys, no prototype tricks, one size limit.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { badRequest, unsupportedMediaType } from '../../errors/catalogue.js'

export type FormBody = Record<string, string | string[]>

const utf8 = new TextDecoder('utf-8', { fatal: true })

function decodeUtf8 (bytes: Buffer): string {
  try {
    return utf8.decode(bytes)
  } catch {
    throw badRequest('The request body is not valid UTF-8.')
  }
}

/**
 * The first object key that appears twice in the same object, or undefined. Expects text JSON.parse accepted,
 * so it only has to track strings, braces and commas.
 */
export function findDuplicateKey (text: string): string | undefined {
  const objects: Array<Set<string> | null> = [] // null marks an array level
  let isExpectingKey = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (ch === 0x22) { // a string: find its closing quote, skipping escapes
      let end = i + 1
      let hasEscape = false
      while (text.charCodeAt(end) !== 0x22) {
        if (text.charCodeAt(end) === 0x5c) { end += 2; hasEscape = true } else end++
      }
      if (isExpectingKey) {
        const raw = text.slice(i, end + 1)
        const key = hasEscape ? JSON.parse(raw) as string : raw.slice(1, -1)
        const keys = objects[objects.length - 1] as Set<string>
        if (keys.has(key)) return key
        keys.add(key)
        isExpectingKey = false
      }
      i = end
    } else if (ch === 0x7b) { // {
      objects.push(new Set())
      isExpectingKey = true
    } else if (ch === 0x5b) { // [
      objects.push(null)
      isExpectingKey = false
    } else if (ch === 0x7d || ch === 0x5d) { // } ]
      objects.pop()
      isExpectingKey = false
    } else if (ch === 0x2c) { // , inside an object is followed by a key
      isExpectingKey = objects[objects.length - 1] instanceof Set
    }
  }
  return undefined
}

// JSON.parse keeps "__proto__" as an own key, but later merges (Object.assign) would follow it; refuse it outright.
function refusePrototypeKeys (this: unknown, key: string, value: unknown): unknown {
  if (key === '__proto__') throw badRequest('The request body must not contain the key "__proto__".')
  if (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')) {
    throw badRequest('The request body must not contain "constructor.prototype".')
  }
  return value
}

/** Parses a JSON request body; an empty body yields undefined (the route's schema decides if that is allowed). */
export function parseStrictJson (bytes: Buffer): unknown {
  const text = decodeUtf8(bytes)
  if (text.trim() === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(text, refusePrototypeKeys)
  } catch (error) {
    if (error instanceof SyntaxError) throw badRequest(`The request body is not valid JSON: ${error.message}`)
    throw error
  }
  const duplicate = findDuplicateKey(text)
  if (duplicate !== undefined) throw badRequest(`The request body contains the key "${duplicate}" more than once.`)
  return value
}

function decodeFormComponent (text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    throw badRequest('The form body contains an invalid percent-encoding.')
  }
}

/** application/x-www-form-urlencoded → { name: value }, a repeated name becoming an array in order. */
export function parseFormBody (text: string): FormBody {
  const out: FormBody = Object.create(null) as FormBody
  for (const pair of text.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const name = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq))
    const value = eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1))
    const previous = out[name]
    if (previous === undefined) out[name] = value
    else if (Array.isArray(previous)) previous.push(value)
    else out[name] = [previous, value]
  }
  return out
}

// RFC 8259 §8.1: JSON is UTF-8; a declared other charset is refused rather than misread.
function refuseForeignCharset (request: FastifyRequest): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw unsupportedMediaType(`The charset "${charset}" is not supported; send UTF-8.`)
  }
}

/** Replaces fastify's parsers: JSON (application/json and +json types) and forms; anything else gets 415. */
export function installBodyParsers (app: FastifyInstance, options: { maxBodyBytes: number }): void {
  app.removeAllContentTypeParsers()
  const parseOptions = { parseAs: 'buffer' as const, bodyLimit: options.maxBodyBytes }
  const json = (request: FastifyRequest, body: Buffer | string, done: (err: Error | null, body?: unknown) => void): void => {
    try {
      refuseForeignCharset(request)
      done(null, parseStrictJson(body as Buffer))
    } catch (error) {
      done(error as Error)
    }
  }
  app.addContentTypeParser('application/json', parseOptions, json)
  app.addContentTypeParser(/^application\/[\w.-]+\+json\s*(;|$)/, parseOptions, json)
  const form = (request: FastifyRequest, body: Buffer | string, done: (err: Error | null, body?: unknown) => void): void => {
    try {
      refuseForeignCharset(request)
      done(null, parseFormBody(decodeUtf8(body as Buffer)))
    } catch (error) {
      done(error as Error)
    }
  }
  app.addContentTypeParser('application/x-www-form-urlencoded', parseOptions, form)
}
