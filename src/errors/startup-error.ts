// A failure to start that the operator fixes (a pending migration, an undecryptable key): printed as one line.

export class StartupError extends Error {
  constructor (message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StartupError'
  }
}
