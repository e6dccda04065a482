// One Suricata rules file (ET Open or abuse.ch) → intel indicators, content signatures, and a
// per-rule account of what could not be translated. Disabled rules (`#alert …`) are counted, not
// translated: ET disables them on purpose (deprecated, noisy, slow).
import type { ImportResult, Indicator, SourceText } from '../model/indicator.ts'
import type { ContentSignature } from './content-signature.ts'
import { parseRule } from './rule-parse.ts'
import { type TranslatedRule, translateRule } from './rule-translate.ts'
import { licenceOfEtSid } from './sid-licence.ts'

export interface UntranslatedRule {
  source: string
  line: number
  sid: number
  msg: string
  reason: string
}

export interface RulesImportResult extends ImportResult {
  signatures: ContentSignature[]
  untranslated: UntranslatedRule[]
  /** Translated rules whose licence does not allow shipping (sid outside ET's licence ranges). */
  unlicensed: UntranslatedRule[]
  disabled: number
  /** Rules that became intel entries (one rule may yield many addresses). */
  intelRules: number
  /** How many literal rules were widened or narrowed to domain semantics, by note. */
  notes: Record<string, number>
}

export interface RulesFileOptions {
  /** `et-sid`: licence per sid range (ET's LICENSE); otherwise the licence of every rule. */
  licence: 'et-sid' | string
  /** When set, translated rules under other licences are reported in `unlicensed`, not kept. */
  shipOnly?: readonly string[]
}

export function parseRulesFile(file: SourceText, options: RulesFileOptions): RulesImportResult {
  const result: RulesImportResult = {
    indicators: [],
    errors: [],
    signatures: [],
    untranslated: [],
    unlicensed: [],
    disabled: 0,
    intelRules: 0,
    notes: {},
  }
  // Pass 1 translates every rule, pass 2 files each under its outcome.
  const rules: { line: number; translated: TranslatedRule }[] = []
  const lines = file.text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const trimmed = line.trim()
    if (trimmed === '') continue
    if (trimmed.startsWith('#')) {
      if (/^#\s*(alert|drop|pass|reject)\s/.test(trimmed)) result.disabled++
      continue
    }
    const error = (reason: string) =>
      result.errors.push({ feed: file.feed, source: file.source, line: i + 1, text: line, reason })
    const parsed = parseRule(trimmed)
    if (!parsed.ok) {
      error(parsed.reason)
      continue
    }
    const translated = translateRule(parsed.value)
    if ('error' in translated) {
      error(translated.error)
      continue
    }
    rules.push({ line: i + 1, translated })
  }
  for (const { line, translated } of rules) {
    const { facts, translation } = translated
    const account = { source: file.source, line, sid: facts.sid, msg: facts.msg }
    if (translation.kind === 'untranslatable') {
      result.untranslated.push({ ...account, reason: translation.reason })
      continue
    }
    const licence = options.licence === 'et-sid' ? licenceOfEtSid(facts.sid) : options.licence
    if (licence === undefined) {
      result.unlicensed.push({
        ...account,
        reason: 'sid outside the licence ranges of ET Open (third-party rule)',
      })
      continue
    }
    if (options.shipOnly && !options.shipOnly.includes(licence)) {
      result.unlicensed.push({ ...account, reason: `licence ${licence} is not shipped` })
      continue
    }
    if (translation.kind === 'signature') {
      const id = `${file.feed}:${facts.sid}`
      result.signatures.push({ id, set: file.feed, ...translation.signature, licence })
      if (translation.note)
        result.notes[translation.note] = (result.notes[translation.note] ?? 0) + 1
      continue
    }
    result.intelRules++
    if (translation.note) result.notes[translation.note] = (result.notes[translation.note] ?? 0) + 1
    for (const entry of translation.indicators) {
      const indicator: Indicator = {
        ioc: entry.ioc,
        value: entry.value,
        class: facts.class,
        origin: {
          feed: file.feed,
          source: file.source,
          line,
          label: `${facts.sid}: ${facts.msg}`,
          references: facts.references,
        },
      }
      if (entry.port !== undefined) indicator.port = entry.port
      result.indicators.push(indicator)
    }
  }
  return result
}
