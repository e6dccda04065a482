// The shapes every importer produces. Importers are pure functions over file text, so a bad line
// becomes a LineError beside the good indicators instead of aborting the whole feed.

/** Indicator kinds of match plan v1 (dsl/schema/README.md). */
export type Ioc = 'domain' | 'ip' | 'url' | 'ja3' | 'ja4' | 'hash'

export const IOC_KINDS: readonly Ioc[] = ['domain', 'ip', 'url', 'ja3', 'ja4', 'hash']

/** Where one indicator came from: the feed, the file inside it and the 1-based line. */
export interface Origin {
  feed: string
  source: string
  line: number
  /** What the feed says about the entry: a malware family, a listing reason, a trail file. */
  label?: string
  /** References in effect at that line (Maltrail `# Reference:` blocks, ET `reference:`). */
  references?: readonly string[]
}

export interface Indicator {
  ioc: Ioc
  /** Canonical form (see normalise/). */
  value: string
  /** socbox class id (`malware.c2`, …) or an `info.*` class. */
  class: string
  origin: Origin
  /** Set when the feed lists the address only together with this destination port. */
  port?: number
}

export interface LineError {
  feed: string
  source: string
  line: number
  text: string
  reason: string
}

export interface ImportResult {
  indicators: Indicator[]
  errors: LineError[]
}

export interface SourceText {
  feed: string
  /** Path of the file, relative to the feed's root (used in provenance and errors). */
  source: string
  text: string
}
