// Signal handling: one graceful close per process, a second signal forces the exit.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import pino from 'pino'
import { installShutdownHandlers } from './shutdown.js'

const logger = pino({ level: 'silent' })

function harness (close: () => Promise<void>) {
  const emitter = new EventEmitter()
  const exits: number[] = []
  let onExit: () => void = () => undefined
  const exited = new Promise<void>((resolve) => { onExit = resolve })
  const uninstall = installShutdownHandlers(close, {
    logger,
    emitter: emitter as unknown as NodeJS.Process,
    exit: (code) => { exits.push(code); onExit() }
  })
  return { emitter, exits, exited, uninstall }
}

test('SIGTERM closes once and exits 0; repeated signals during the close force exit 1', async () => {
  let closes = 0
  let finish: () => void = () => undefined
  const h = harness(async () => { closes++; await new Promise<void>((resolve) => { finish = resolve }) })
  h.emitter.emit('SIGTERM', 'SIGTERM')
  h.emitter.emit('SIGINT', 'SIGINT')
  assert.equal(closes, 1)
  assert.deepEqual(h.exits, [1])
  finish()
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(h.exits, [1, 0])
  h.uninstall()
  assert.equal(h.emitter.listenerCount('SIGTERM'), 0)
})

test('a failing close exits 1', async () => {
  const h = harness(async () => { throw new Error('database did not close') })
  h.emitter.emit('SIGINT', 'SIGINT')
  await h.exited
  assert.deepEqual(h.exits, [1])
  h.uninstall()
})
