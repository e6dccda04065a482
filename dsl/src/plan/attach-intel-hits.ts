// A reference implementation of the sensor's list matching (match plan v1, schema README §3),
// used where no sensor runs: tests inside rule files and tools that replay JSON events.
import { fieldNames, fieldSpec } from '../../schema/event-schema.ts'
import { compileAccessor } from '../runtime/compile-expr.ts'
import { parseIp, parsePrefix, prefixContains } from '../runtime/ip-address.ts'
import type { MatchPlan, SocEvent } from '../runtime/types.ts'
import { requestUrl, urlFinder } from './url-form.ts'

export type IntelHit = { list: string; field: string; indicator: string }

type Matcher = { list: string; ioc: string; find: (value: string) => string | undefined }

export function createIntelMatcher(plan: MatchPlan): (event: SocEvent) => SocEvent {
  const matchers: Matcher[] = plan.intel.map((entry) => ({
    list: entry.list,
    ioc: entry.ioc,
    find:
      entry.ioc === 'domain'
        ? domainFinder(entry.entries)
        : entry.ioc === 'ip'
          ? prefixFinder(entry.entries)
          : entry.ioc === 'url'
            ? urlFinder(entry.entries)
            : exactFinder(entry.entries),
  }))
  return (event) => {
    const hits: IntelHit[] = []
    for (const matcher of matchers) {
      for (const field of fieldsOfKind(event.kind, matcher.ioc)) {
        const value = compileAccessor(field)(event)
        const observed =
          matcher.ioc === 'url' && typeof value === 'string'
            ? requestUrl(typeof event.host === 'string' ? event.host : undefined, value)
            : value
        for (const item of Array.isArray(observed) ? observed : [observed]) {
          if (typeof item !== 'string') continue
          const indicator = matcher.find(item)
          if (indicator !== undefined) hits.push({ list: matcher.list, field, indicator })
        }
      }
    }
    return hits.length === 0 ? event : { ...event, hits }
  }
}

// `entry` matches itself and every subdomain; the longest (most specific) entry wins.
function domainFinder(entries: string[]): (value: string) => string | undefined {
  const set = new Set(entries.map((e) => e.toLowerCase()))
  return (value) => {
    let name = value.toLowerCase().replace(/\.$/, '')
    while (name) {
      if (set.has(name)) return name
      const dot = name.indexOf('.')
      if (dot < 0) return undefined
      name = name.slice(dot + 1)
    }
    return undefined
  }
}

// Addresses and CIDRs; the longest matching prefix is the indicator.
function prefixFinder(entries: string[]): (value: string) => string | undefined {
  const prefixes = entries.flatMap((entry) => {
    const prefix = parsePrefix(entry)
    return prefix === undefined ? [] : [{ entry, prefix }]
  })
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length)
  return (value) => {
    const address = parseIp(value)
    if (address === undefined) return undefined
    return prefixes.find((p) => prefixContains(p.prefix, address))?.entry
  }
}

// JA3, JA4 and hashes: exact, lower case (§3).
function exactFinder(entries: string[]): (value: string) => string | undefined {
  const set = new Set(entries.map((e) => e.toLowerCase()))
  return (value) => {
    const lower = value.toLowerCase()
    return set.has(lower) ? lower : undefined
  }
}

const fieldCache = new Map<string, string[]>()

function fieldsOfKind(kind: string, ioc: string): string[] {
  const id = `${kind}/${ioc}`
  let fields = fieldCache.get(id)
  if (fields === undefined) {
    fields = fieldNames(kind).filter((field) => fieldSpec(kind, field)?.ioc === ioc)
    fieldCache.set(id, fields)
  }
  return fields
}
