// Proposal for match plan `content` (see ../README.md): what a translated ET rule asks the sensor
// to match. Everything here is literal or a JavaScript-compatible regex over named app-layer
// fields, so the sensor can compile all signatures into one multi-pattern automaton per field.

export interface ContentPattern {
  /** Bytes to find, one char per byte (code points 0–255). */
  literal: string
  nocase: boolean
  /** App-layer field (Suricata sticky-buffer name): `http.uri`, `dns.query`, `tls.sni`, … */
  field: string
  /** Matches when the literal is absent (Suricata `content:!"…"`). */
  negated?: boolean
  startsWith?: boolean
  endsWith?: boolean
  /**
   * The rule's `fast_pattern`: the literal its author chose to be searched for first, rarer in
   * traffic than a longer one beside it can be. The sensor anchors on it (same field, 4+ bytes).
   */
  fastPattern?: boolean
  /** Absolute window inside the field (bytes). */
  offset?: number
  depth?: number
  /** Relative to the end of the previous pattern of the same field. */
  distance?: number
  within?: number
}

export interface ContentRegex {
  /** JavaScript RegExp source (checked to compile). */
  source: string
  flags: string
  field: string
}

/** Inclusive bounds on a field's length (Suricata `bsize`, `urilen`). */
export interface FieldSize {
  min?: number
  max?: number
}

/**
 * Suricata flowbits: named bits per flow. The signature holds only when every `isset` bit is set
 * and no `isnotset` bit is, in its flow, when it is evaluated; when it holds it sets, unsets and
 * toggles its bits. `noalert`: it only acts on bits (no `sig` event). A signature without
 * patterns on `http`/`dns` is tried on every event of that protocol (the bits decide).
 */
export interface Flowbits {
  set?: string[]
  unset?: string[]
  toggle?: string[]
  isset?: string[]
  isnotset?: string[]
  noalert?: boolean
}

export interface ContentSignature {
  /** `${feed}:${sid}`: stable across revisions; `rev` tells revisions apart. */
  id: string
  /** Signature set a rule names with `id in signatures("et-open")`: the feed id. */
  set: string
  sid: number
  rev: number
  msg: string
  class: string
  /** `tcp`/`udp`/`ip`: a `payload` signature over reassembled TCP streams, UDP datagrams or both. */
  proto: 'dns' | 'http' | 'tls' | 'tcp' | 'udp' | 'ip'
  direction?: 'to_server' | 'to_client'
  /**
   * Header ports (inclusive ranges) as the rule writes them: `src` → `dst` of the header, so
   * for a `to_client` rule `src` is the server's port. Absent or empty: any port.
   */
  ports?: { src?: [number, number][]; dst?: [number, number][] }
  /** Fields the signature reads (union of its patterns, regex and sizes). */
  fields: string[]
  patterns: ContentPattern[]
  regex?: ContentRegex
  sizes?: Record<string, FieldSize>
  flowbits?: Flowbits
  references: string[]
  /** ATT&CK technique ids from the rule's metadata. */
  attack?: string[]
  licence: string
}
