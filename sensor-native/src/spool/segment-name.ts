/** Segment files are named `<class>-<first lsn, 16 digits>.seg`, so a listing sorts by age. */
import { CLASSES, type SpoolClass } from './batch-class.ts'

export function segmentName(cls: SpoolClass, firstLsn: number): string {
  return `${cls}-${String(firstLsn).padStart(16, '0')}.seg`
}

export function parseSegmentName(name: string): { cls: SpoolClass; firstLsn: number } | undefined {
  const m = /^([a-z]+)-(\d{16})\.seg$/.exec(name)
  if (!m) return undefined
  const cls = CLASSES.find((c) => c === m[1])
  return cls ? { cls, firstLsn: Number(m[2]) } : undefined
}
