// Fills the `{field}` holes of a rule's alert text (title, explanation, actions; English and
// Japanese) from the event that fired it. The texts of one rule name the same few fields again
// and again (every action and both languages name the source and the destination): each
// distinct hole is read and shown once per alert, then the texts are put together from those.
import { compileAccessor, compilePathAccessor, compileValue, type Getter } from './compile-expr.ts'
import type { DetectionIR, TemplateIR } from './ir.ts'
import type { Alert, SocEvent } from './types.ts'

/** The texts of an alert, rendered. */
export type AlertTexts = Pick<Alert, 'title' | 'explain' | 'actions'>

/** The texts of one rule, as IR (every rule type has these of a detection). */
export type TextsIR = Pick<DetectionIR, 'title' | 'explain' | 'actions'>

export type RenderTexts = (view: SocEvent) => AlertTexts

const UNKNOWN = { en: '(unknown)', ja: '（不明）' }

/** A template as constant text and holes (numbers: indexes of the rule's distinct holes). */
type Parts = (string | number)[]

/**
 * `kind`: the kind of every event the texts are rendered from, when they are events as the
 * rules see them (detections); their fields are then read by the schema's getters. Without it
 * the holes are read by path: correlations and sequences render from copies of events (with
 * aggregates and steps), whose shapes would crowd the inline caches of the getters rules use.
 */
export function compileTexts(ir: TextsIR, kind?: string): RenderTexts {
  const holes = new Map<string, number>()
  const getters: Getter[] = []
  const read =
    kind === undefined ? compilePathAccessor : (path: string) => compileAccessor(path, kind)
  const partsOf = (template: TemplateIR): Parts => {
    // Adjacent text joined once; a text without holes is one constant string (most titles).
    const parts: Parts = []
    for (const part of template) {
      const last = parts.length - 1
      if (typeof part !== 'string') {
        const text = JSON.stringify(part)
        let hole = holes.get(text)
        if (hole === undefined) {
          hole = getters.length
          holes.set(text, hole)
          getters.push(compileValue(part, undefined, read))
        }
        parts.push(hole)
      } else if (typeof parts[last] === 'string') parts[last] += part
      else parts.push(part)
    }
    return parts
  }
  const title = { en: partsOf(ir.title.en), ja: partsOf(ir.title.ja) }
  const explain = { en: partsOf(ir.explain.en), ja: partsOf(ir.explain.ja) }
  const actions = { en: ir.actions.en.map(partsOf), ja: ir.actions.ja.map(partsOf) }
  // Reused per alert: rendering never calls back into itself.
  const en: string[] = new Array(getters.length)
  const ja: string[] = new Array(getters.length)
  return (view) => {
    for (let i = 0; i < getters.length; i++) {
      const value = (getters[i] as Getter)(view)
      const shown = show(value, UNKNOWN.en)
      en[i] = shown
      // Only what is (or holds) nothing reads differently in Japanese.
      ja[i] =
        value === undefined || value === null || Array.isArray(value)
          ? show(value, UNKNOWN.ja)
          : shown
    }
    return {
      title: { en: fill(title.en, en), ja: fill(title.ja, ja) },
      explain: { en: fill(explain.en, en), ja: fill(explain.ja, ja) },
      actions: { en: fillAll(actions.en, en), ja: fillAll(actions.ja, ja) },
    }
  }
}

function fill(parts: Parts, shown: string[]): string {
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0]
  let text = ''
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string | number
    text += typeof part === 'string' ? part : shown[part]
  }
  return text
}

function fillAll(templates: Parts[], shown: string[]): string[] {
  const texts: string[] = new Array(templates.length)
  for (let i = 0; i < templates.length; i++) texts[i] = fill(templates[i] as Parts, shown)
  return texts
}

function show(value: unknown, unknown: string): string {
  if (value === undefined || value === null) return unknown
  if (Array.isArray(value)) return value.map((v) => show(v, unknown)).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
