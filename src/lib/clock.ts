// The source of "now", injected everywhere so tests can move time.

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private currentMs: number
  constructor (start: Date = new Date()) { this.currentMs = start.getTime() }
  now (): Date { return new Date(this.currentMs) }
  advance (ms: number): void { this.currentMs += ms }
  set (at: Date): void { this.currentMs = at.getTime() }
}
