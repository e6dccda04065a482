/**
 * Replays a capture at a chosen speed: `speed` 1 keeps the capture's own pace, 10 runs ten times
 * faster, 0 does not wait at all. Pace follows the capture time of the events handed out.
 */
export class ReplayPacer {
  private readonly speed: number
  private start: { capture: number; wall: number } | undefined

  constructor(speed: number) {
    this.speed = speed
  }

  /** Milliseconds to wait before handing out events up to `captureTs` (0: go on). */
  delayFor(captureTs: number | undefined, now: number): number {
    if (this.speed <= 0 || captureTs === undefined) return 0
    if (!this.start) {
      this.start = { capture: captureTs, wall: now }
      return 0
    }
    const due = this.start.wall + (captureTs - this.start.capture) / this.speed
    return Math.max(0, due - now)
  }
}
