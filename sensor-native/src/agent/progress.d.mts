/** What a progress line reads of a source's stats. */
export type ProgressStats = {
  packets: number
  bytes: number
  malformed: number
  events: number
  offset: number
  size: number
}

export type Progress = { update(stats: ProgressStats, extra?: string): void; done(): void }

export function progress(label: string, stream?: NodeJS.WriteStream): Progress

export function describe(label: string, s: ProgressStats, seconds: number, extra?: string): string
