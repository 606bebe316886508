// The process logger: pino with Hydra's levels and formats, redacting sensitive values unless told to leak them.
import pino, { type DestinationStream, type Logger } from 'pino'
import { createRedactor, type Redactor } from '../lib/redaction.js'

export interface LogConfig {
  readonly level: string
  readonly format: string
  readonly leak_sensitive_values: boolean
  readonly redaction_text: string
}

export interface LoggerOptions {
  /** Where lines go; stderr by default, so stdout stays clean for command output. */
  destination?: { write(line: string): unknown }
}

// Hydra (logrus) has `panic` above `fatal`; pino's highest level is `fatal`.
function pinoLevel (level: string): string {
  return level === 'panic' ? 'fatal' : level
}

function formatValue (value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)
  if (typeof value === 'object' && value !== null) return JSON.stringify(value)
  return String(value)
}

type Entry = Record<string, unknown>

/** One log entry → `time LEVEL msg key=value ...`. */
export function formatTextEntry (entry: Entry): string {
  const { time, level, msg, ...rest } = entry
  const fields = Object.entries(rest).map(([key, value]) => `${key}=${formatValue(value)}`)
  const head = [String(time ?? ''), String(level ?? '').toUpperCase(), String(msg ?? '')].filter((part) => part !== '')
  return `${[...head, ...fields].join(' ')}\n`
}

const FORMATTERS: Record<string, (entry: Entry) => string> = {
  text: formatTextEntry,
  json_pretty: (entry) => `${JSON.stringify(entry, null, 2)}\n`,
  json: (entry) => `${JSON.stringify(entry)}\n`
}

/**
 * Redaction happens on the finished line, so it also covers child-logger bindings (pino skips formatters for
 * those) and serialized errors. Errors keep their fields: `err.code` is an errno name, not an OAuth2 code.
 */
function outputStream (format: string, redactor: Redactor, target: { write(line: string): unknown }): DestinationStream {
  const render = FORMATTERS[format] ?? FORMATTERS['json'] as (entry: Entry) => string
  return {
    write: (line: string) => {
      let entry: Entry
      try {
        entry = JSON.parse(line) as Entry
      } catch {
        target.write(line)
        return
      }
      const { err, ...rest } = entry
      const redacted = redactor.redactObject(rest)
      target.write(render(err === undefined ? redacted : { ...redacted, err }))
    }
  }
}

export function createLogger (log: LogConfig, options: LoggerOptions = {}): Logger {
  const redactor = createRedactor({ isLeakingSensitiveValues: log.leak_sensitive_values, redactionText: log.redaction_text })
  // Synchronous stderr so the last lines before an exit are not lost.
  const target = options.destination ?? pino.destination({ fd: 2, sync: true })
  return pino({
    level: pinoLevel(log.level),
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err }
  }, outputStream(log.format, redactor, target))
}
