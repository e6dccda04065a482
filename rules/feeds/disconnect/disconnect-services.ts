// Disconnect tracking-protection `services.json`: categories → services → sites → domains.
// CC BY-NC-SA 4.0: importable for evaluation, never shipped (see manifests/disconnect.json).
// Its "FingerprintingInvasive" category is the only real-world list of browser-fingerprinting
// hosts in shared/data, hence site.fingerprint; the other categories are context (info.*).
import type { ImportResult, Indicator, LineError, SourceText } from '../model/indicator.ts'
import { normaliseDomain } from '../normalise/domain.ts'

const CLASS_BY_CATEGORY: Readonly<Record<string, string>> = {
  FingerprintingInvasive: 'site.fingerprint',
  FingerprintingGeneral: 'info.fingerprinting',
  Cryptomining: 'info.cryptomining',
  Advertising: 'info.advertising',
}

function classOfCategory(category: string): string {
  return (
    CLASS_BY_CATEGORY[category] ??
    `info.tracker-${category.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
  )
}

/** Line numbers found by scanning forward: JSON.parse keeps document order. */
function lineFinder(text: string): (needle: string) => number {
  let cursor = 0
  let line = 1
  return (needle) => {
    const at = text.indexOf(needle, cursor)
    if (at === -1) return line
    for (let i = cursor; i < at; i++) if (text.charCodeAt(i) === 10) line++
    cursor = at + needle.length
    return line
  }
}

export function parseDisconnectServices(file: SourceText): ImportResult {
  const indicators: Indicator[] = []
  const errors: LineError[] = []
  let document: { categories?: Record<string, unknown> }
  try {
    document = JSON.parse(file.text)
  } catch (e) {
    errors.push({
      feed: file.feed,
      source: file.source,
      line: 1,
      text: '',
      reason: `not JSON: ${(e as Error).message}`,
    })
    return { indicators, errors }
  }
  const find = lineFinder(file.text)
  for (const [category, services] of Object.entries(document.categories ?? {})) {
    if (!Array.isArray(services)) continue
    const cls = classOfCategory(category)
    for (const service of services as Record<string, Record<string, unknown>>[]) {
      for (const [name, sites] of Object.entries(service ?? {})) {
        find(JSON.stringify(name))
        for (const domains of Object.values(sites ?? {})) {
          if (!Array.isArray(domains)) continue // flags such as "dnt": "eff"
          for (const domain of domains) {
            const line = find(JSON.stringify(domain))
            const normalised = normaliseDomain(String(domain))
            if (!normalised.ok) {
              errors.push({
                feed: file.feed,
                source: file.source,
                line,
                text: String(domain),
                reason: normalised.reason,
              })
              continue
            }
            indicators.push({
              ioc: 'domain',
              value: normalised.value,
              class: cls,
              origin: { feed: file.feed, source: file.source, line, label: `${category}: ${name}` },
            })
          }
        }
      }
    }
  }
  return { indicators, errors }
}
