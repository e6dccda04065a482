// STIX 2.1 bundles: `indicator` objects with STIX patterns become list entries. The class comes
// from what the indicator `indicates` (a ransomware family → malware.ransomware) or from its
// indicator_types; revoked, expired and benign indicators are skipped and counted. Errors name
// the line of the indicator's "id" in the bundle file, so a reviewer can jump to it.

import { classOfMalwareLabel } from '../model/family-class.ts'
import type { ImportResult, Indicator, LineError, SourceText } from '../model/indicator.ts'
import { normaliseIndicator } from '../normalise/indicator.ts'
import { parseStixPattern } from './stix-pattern.ts'

export interface StixOptions {
  /** Class of indicators whose bundle says nothing more specific. */
  defaultClass: string
  /** ms since the epoch; indicators whose valid_until is earlier are skipped. */
  now?: number
}

export interface StixImportResult extends ImportResult {
  skipped: { revoked: number; expired: number; benign: number }
}

type StixObject = Record<string, unknown> & { type?: unknown; id?: unknown }

const HEX_LENGTH_BY_ALGORITHM: Readonly<Record<string, number>> = {
  MD5: 32,
  'SHA-1': 40,
  SHA1: 40,
  'SHA-256': 64,
  SHA256: 64,
  'SHA-512': 128,
  SHA512: 128,
}

function lineOf(text: string, id: string): number {
  const at = text.indexOf(`"${id}"`)
  if (at === -1) return 1
  let line = 1
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function classFromTarget(target: StixObject | undefined): string | undefined {
  if (!target) return undefined
  const name = typeof target.name === 'string' ? target.name : ''
  if (target.type === 'malware') {
    if (strings(target.malware_types).includes('ransomware')) return 'malware.ransomware'
    return classOfMalwareLabel(name)
  }
  if (target.type === 'tool') return 'malware.c2'
  return undefined
}

function classFromTypes(types: string[]): string | undefined {
  if (types.includes('anonymization')) return 'info.anonymization'
  if (types.includes('compromised')) return 'site.compromised'
  if (types.includes('anomalous-activity')) return 'info.anomalous-activity'
  return undefined
}

export function parseStixBundle(file: SourceText, options: StixOptions): StixImportResult {
  const result: StixImportResult = {
    indicators: [],
    errors: [],
    skipped: { revoked: 0, expired: 0, benign: 0 },
  }
  const error = (line: number, text: string, reason: string) =>
    result.errors.push({
      feed: file.feed,
      source: file.source,
      line,
      text,
      reason,
    } satisfies LineError)
  let bundle: unknown
  try {
    bundle = JSON.parse(file.text)
  } catch (e) {
    error(1, file.text.slice(0, 80), `not JSON: ${(e as Error).message}`)
    return result
  }
  const objects = (bundle as { type?: unknown; objects?: unknown }).objects
  if ((bundle as { type?: unknown }).type !== 'bundle' || !Array.isArray(objects)) {
    error(1, file.text.slice(0, 80), 'not a STIX bundle (type "bundle" with an objects array)')
    return result
  }
  const byId = new Map<string, StixObject>()
  for (const object of objects as StixObject[])
    if (typeof object?.id === 'string') byId.set(object.id, object)
  const indicates = new Map<string, StixObject>()
  for (const object of objects as StixObject[]) {
    if (object?.type !== 'relationship' || object.relationship_type !== 'indicates') continue
    const target = byId.get(String(object.target_ref))
    if (target) indicates.set(String(object.source_ref), target)
  }
  for (const object of objects as StixObject[]) {
    if (object?.type !== 'indicator') continue
    const id = typeof object.id === 'string' ? object.id : '(no id)'
    const line = lineOf(file.text, id)
    const pattern = object.pattern
    if (typeof pattern !== 'string') {
      error(line, id, 'indicator without a pattern')
      continue
    }
    if (object.pattern_type !== 'stix') {
      error(line, pattern, `pattern_type "${String(object.pattern_type)}" is not a STIX pattern`)
      continue
    }
    if (object.revoked === true) {
      result.skipped.revoked++
      continue
    }
    const validUntil =
      typeof object.valid_until === 'string' ? Date.parse(object.valid_until) : Number.NaN
    if (options.now !== undefined && validUntil < options.now) {
      result.skipped.expired++
      continue
    }
    const types = strings(object.indicator_types)
    if (types.includes('benign')) {
      result.skipped.benign++
      continue
    }
    const terms = parseStixPattern(pattern)
    if (!terms.ok) {
      error(line, pattern, terms.reason)
      continue
    }
    const target = indicates.get(id)
    const cls = classFromTarget(target) ?? classFromTypes(types) ?? options.defaultClass
    const name = typeof object.name === 'string' ? object.name : id
    const targetName = target && typeof target.name === 'string' ? target.name : undefined
    const references = strings(
      Array.isArray(object.external_references)
        ? (object.external_references as { url?: unknown }[]).map((r) => r?.url)
        : [],
    )
    for (const term of terms.value) {
      const normalised = normaliseIndicator(term.ioc, term.raw)
      if (!normalised.ok) {
        error(line, term.raw, `${term.ioc}: ${normalised.reason}`)
        continue
      }
      const expectedLength = term.algorithm ? HEX_LENGTH_BY_ALGORITHM[term.algorithm] : undefined
      if (term.algorithm && expectedLength !== normalised.value.length) {
        error(
          line,
          term.raw,
          expectedLength
            ? `${term.algorithm} needs ${expectedLength} hex digits`
            : `unknown hash algorithm ${term.algorithm}`,
        )
        continue
      }
      const indicator: Indicator = {
        ioc: term.ioc,
        value: normalised.value,
        class: cls,
        origin: {
          feed: file.feed,
          source: file.source,
          line,
          label: targetName ? `${name} (${targetName})` : name,
        },
      }
      if (references.length > 0) indicator.origin.references = references
      result.indicators.push(indicator)
    }
  }
  return result
}
