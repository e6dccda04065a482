// The pack → a ready evaluator. Rules are compiled once and indexed by event kind, so an event
// meets only the rules written for its kind. A rule that throws is isolated: its error is
// counted per message and the remaining rules still see the event.
import { compileAccessor, compileExpr, type Getter, type Predicate } from './compile-expr.ts'
import { type DetectionIR, IR_VERSION } from './ir.ts'
import { compileTemplate, type Renderer } from './render-template.ts'
import type { Alert, Engine, RuleError, RulePack, SocEvent } from './types.ts'

type CompiledDetection = {
  ir: DetectionIR
  matches: Predicate
  key: Getter[]
  title: { en: Renderer; ja: Renderer }
  explain: { en: Renderer; ja: Renderer }
  actions: { en: Renderer[]; ja: Renderer[] }
}

export function createEngine(pack: RulePack): Engine {
  if (pack.v !== 1) throw new Error(`unknown rule pack version ${String(pack.v)}`)
  const byKind = new Map<string, CompiledDetection[]>()
  for (const rule of pack.rules) {
    if (rule.ir !== IR_VERSION)
      throw new Error(`rule ${rule.id}: unknown IR version ${String(rule.ir)}`)
    const compiled = compileDetection(rule)
    const list = byKind.get(rule.on) ?? []
    list.push(compiled)
    byKind.set(rule.on, list)
  }

  return {
    evaluate(events) {
      const alerts: Alert[] = []
      const errors = new Map<string, RuleError>()
      for (const event of events) {
        const candidates = byKind.get(event.kind)
        if (candidates === undefined) continue
        for (const rule of candidates) {
          try {
            if (rule.matches(event)) alerts.push(buildAlert(rule, event))
          } catch (error) {
            countError(errors, rule.ir.id, error)
          }
        }
      }
      return { alerts, errors: [...errors.values()] }
    },
  }
}

function compileDetection(ir: DetectionIR): CompiledDetection {
  return {
    ir,
    matches: compileExpr(ir.where),
    key: ir.key.map(compileAccessor),
    title: { en: compileTemplate(ir.title.en, 'en'), ja: compileTemplate(ir.title.ja, 'ja') },
    explain: { en: compileTemplate(ir.explain.en, 'en'), ja: compileTemplate(ir.explain.ja, 'ja') },
    actions: {
      en: ir.actions.en.map((t) => compileTemplate(t, 'en')),
      ja: ir.actions.ja.map((t) => compileTemplate(t, 'ja')),
    },
  }
}

function buildAlert(rule: CompiledDetection, event: SocEvent): Alert {
  const { ir } = rule
  const alert: Alert = {
    rule: ir.id,
    version: ir.version,
    class: ir.class,
    severity: ir.severity,
    ts: event.ts,
    key: dedupKey(
      ir.id,
      rule.key.map((get) => get(event)),
    ),
    title: { en: rule.title.en(event), ja: rule.title.ja(event) },
    explain: { en: rule.explain.en(event), ja: rule.explain.ja(event) },
    actions: { en: rule.actions.en.map((r) => r(event)), ja: rule.actions.ja.map((r) => r(event)) },
    attack: ir.attack,
    event,
  }
  if (event.src !== undefined) alert.src = event.src
  if (event.dst !== undefined) alert.dst = event.dst
  if (event.flow !== undefined) alert.flow = event.flow
  return alert
}

/** `RULE|v1|v2`: `|` and `%` inside values are percent-escaped so distinct keys stay distinct. */
export function dedupKey(rule: string, values: unknown[]): string {
  let key = rule
  for (const value of values) {
    const text =
      value === undefined || value === null
        ? ''
        : typeof value === 'string'
          ? value
          : JSON.stringify(value)
    key += `|${text.replaceAll('%', '%25').replaceAll('|', '%7C')}`
  }
  return key
}

function countError(errors: Map<string, RuleError>, rule: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  const id = `${rule}\u0000${message}`
  const known = errors.get(id)
  if (known) known.count++
  else errors.set(id, { rule, message, count: 1 })
}
