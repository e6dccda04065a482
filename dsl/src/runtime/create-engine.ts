// The pack → a ready evaluator. Rules are compiled once and indexed by event kind, so an event
// meets only the rules written for its kind. A rule that throws is isolated: its error is
// counted per message and the remaining rules still see the event. Correlations keep state
// between calls (one engine per sensor); state limits and late events are reported as errors.
import { aggregateLabel } from './aggregate-label.ts'
import {
  type CompileEnv,
  compileExpr,
  compileKey,
  type Getter,
  hasState,
  type Predicate,
} from './compile-expr.ts'
import { type Correlator, createCorrelator, type Firing } from './correlator.ts'
import { createFirstSeenStore, type FirstSeenState } from './first-seen.ts'
import {
  type CorrelationIR,
  type DetectionIR,
  type ExprIR,
  IR_VERSION,
  type RuleIR,
  type SequenceIR,
} from './ir.ts'
import { compileTexts, type RenderTexts } from './render-template.ts'
import { LEARN_EVENTS, RuleIndex } from './rule-index.ts'
import { createSequencer, type SequenceFiring, type Sequencer } from './sequencer.ts'
import { createSiteVariables } from './site-variables.ts'
import type { Alert, Engine, EvaluationContext, RuleError, RulePack, SocEvent } from './types.ts'

type CompiledDetection = {
  ir: DetectionIR
  matches: Predicate
  key: Getter[]
  texts: RenderTexts
  /** Position in the pack: alerts of one event come out in this order. */
  order: number
}
type CompiledCorrelation = {
  ir: CorrelationIR
  correlator: Correlator
  key: Getter[]
  texts: RenderTexts
  /** Position among the stateful rules of the pack: their alerts of one event in this order. */
  order: number
  /** The number of the last event pushed to it (sequences: those not pushed are ticked). */
  pushed: number
}
type CompiledSequence = {
  ir: SequenceIR
  correlator: Sequencer
  key: Getter[]
  texts: RenderTexts
  order: number
  pushed: number
}
type Stateful = CompiledCorrelation | CompiledSequence
/** Everything an event of one kind meets, found with one lookup of its kind. */
type KindPlan = {
  detections: RuleIndex<CompiledDetection> | undefined
  /** Detections that cannot match without an intel hit. */
  onHits: CompiledDetection[]
  /**
   * Correlations filed by their `where` like detections (one whose condition is false for the
   * event ignores it: skipping it changes nothing), and sequences by the steps of this kind.
   */
  stateful: RuleIndex<Stateful> | undefined
  /**
   * The sequences of this kind: every event of the kind must reach them, since it moves their
   * event time on; one that can match none of their steps only ticks (see Sequencer.tick).
   */
  sequences: CompiledSequence[]
}

const EVERY_EVENT: ExprIR = { op: 'const', value: true }
/** No event's kind: the kind "before the first event" of a batch. */
const NO_KIND = Symbol('no kind')

/** What an event of `kind` must pass to matter to `rule`: for a sequence, any of its steps. */
function whereOn(rule: Stateful, kind: string): ExprIR {
  if (rule.ir.type === 'correlation') return rule.ir.where
  const { steps, until } = rule.ir
  const wheres = [...steps, ...(until ? [until] : [])]
    .filter((step) => step.on === kind)
    .map((step) => step.where)
  if (wheres.length === 0) return EVERY_EVENT
  return wheres.length === 1 ? (wheres[0] as ExprIR) : { op: 'or', args: wheres }
}

export type Evaluation = { alerts: Alert[]; errors: RuleError[] }

/** An Engine that also ends the input (releasing events held for lateness) and reports its state. */
export type StatefulEngine = Engine & {
  flush(ctx: EvaluationContext): Evaluation
  state(): { rule: string; groups: number }[]
  /** first_seen memory, to persist across restarts (correlation windows are not kept). */
  saveFirstSeen(): FirstSeenState
  /** Restores saved first_seen memory; returns what could not be used. */
  loadFirstSeen(state: unknown): string[]
  /** Grows whenever first_seen learns a new value: unchanged means nothing new to save. */
  firstSeenAdditions(): number
}

export function createEngine(pack: RulePack): StatefulEngine {
  if (pack.v !== 1) throw new Error(`unknown rule pack version ${String(pack.v)}`)
  const site = createSiteVariables(pack.variables ?? [])
  const seen = createFirstSeenStore()
  // Per rule, so each first_seen call site gets a stable name: RULE#0, RULE#1…
  const envOf = (rule: RuleIR): CompileEnv => {
    let sites = 0
    return {
      variable: (name) => site.slot(name),
      firstSeen: (window) => seen.site(`${rule.id}#${sites++}`, window),
      // A sequence's steps are of several kinds: each gets its own (see createSequencer).
      kind: rule.type === 'sequence' ? undefined : rule.on,
    }
  }
  const byKind = new Map<string, CompiledDetection[]>()
  let order = 0
  let statefulOrder = 0
  const detectionsOnHits = new Map<string, CompiledDetection[]>()
  const correlations = new Map<string, Stateful[]>()
  const allCorrelations: Stateful[] = []
  for (const rule of pack.rules as RuleIR[]) {
    if (rule.ir !== IR_VERSION)
      throw new Error(`rule ${rule.id}: unknown IR version ${String(rule.ir)}`)
    if (rule.type === 'sequence') {
      const compiled: CompiledSequence = {
        ir: rule,
        correlator: createSequencer(rule, envOf(rule)),
        key: [],
        texts: compileTexts(rule),
        order: statefulOrder++,
        pushed: 0,
      }
      for (const kind of compiled.correlator.kinds) append(correlations, kind, compiled)
      allCorrelations.push(compiled)
    } else if (rule.type === 'correlation') {
      const env = envOf(rule)
      const compiled = {
        ir: rule,
        correlator: createCorrelator(rule, env),
        key: rule.key.map((key) => compileKey(key, env)),
        texts: compileTexts(rule),
        order: statefulOrder++,
        pushed: 0,
      }
      append(correlations, rule.on, compiled)
      allCorrelations.push(compiled)
    } else {
      const env = envOf(rule)
      const compiled = {
        ir: rule,
        matches: compileExpr(rule.where, env),
        key: rule.key.map((key) => compileKey(key, env)),
        texts: compileTexts(rule, rule.on),
        order: order++,
      }
      // Second index level: a rule that can only match an event with an intel hit is skipped
      // for the (many) events that carry none.
      append(needsHit(rule.where) ? detectionsOnHits : byKind, rule.on, compiled)
    }
  }
  const plans = new Map<string, KindPlan>()
  const planOf = (kind: string): KindPlan => {
    let plan = plans.get(kind)
    if (plan === undefined) {
      plan = { detections: undefined, onHits: [], stateful: undefined, sequences: [] }
      plans.set(kind, plan)
    }
    return plan
  }
  // Third level: by the constant a field must equal (see rule-index.ts).
  for (const [kind, rules] of byKind)
    planOf(kind).detections = new RuleIndex(rules, (rule) => rule.ir.where, LEARN_EVENTS, kind)
  for (const [kind, rules] of detectionsOnHits) planOf(kind).onHits = rules
  for (const [kind, rules] of correlations) {
    const plan = planOf(kind)
    plan.stateful = new RuleIndex(rules, (rule) => whereOn(rule, kind), LEARN_EVENTS, kind)
    plan.sequences = rules.filter((rule): rule is CompiledSequence => rule.ir.type === 'sequence')
  }
  // Reused by every event: the rules its index found.
  const found: CompiledDetection[] = []
  const foundStateful: Stateful[] = []
  let eventNumber = 0

  const collect = (errors: Map<string, RuleError>) => {
    for (const rule of allCorrelations) {
      const overflow = rule.correlator.takeOverflow()
      if (overflow.groups)
        countError(
          errors,
          rule.ir.id,
          `state limit: ${rule.ir.limits.groups} groups reached, events of new groups dropped`,
          overflow.groups,
        )
      if (overflow.events)
        countError(
          errors,
          rule.ir.id,
          `state limit: ${rule.ir.limits.events} events per window reached, oldest dropped`,
          overflow.events,
        )
      if (overflow.distinct)
        countError(
          errors,
          rule.ir.id,
          `state limit: ${rule.ir.limits.distinct} distinct values reached, new values not counted`,
          overflow.distinct,
        )
      if (overflow.late)
        countError(
          errors,
          rule.ir.id,
          `late events dropped (more than ${rule.ir.lateness} ms behind)`,
          overflow.late,
        )
    }
    for (const [name, count] of seen.takeEvictions()) {
      countError(
        errors,
        name.slice(0, name.lastIndexOf('#')),
        'state limit: first_seen forgot values still inside their window (LRU), they may show as new again',
        count,
      )
    }
    return [...errors.values()]
  }
  // The tenant's site variables and first_seen memory for this call; bad overrides are errors.
  const bind = (ctx: EvaluationContext, errors: Map<string, RuleError>) => {
    seen.tenant = ctx.tenant
    for (const problem of site.bind(ctx.site))
      countError(errors, `$${problem.variable}`, `site setting ignored: ${problem.message}`)
  }

  return {
    evaluate(events, ctx) {
      const alerts: Alert[] = []
      const errors = new Map<string, RuleError>()
      bind(ctx, errors)
      // The plan of the previous event's kind, kept while kinds repeat (runs of conn events are
      // common): a string comparison, where a Map lookup hashes and probes.
      let kind: unknown = NO_KIND
      let plan: KindPlan | undefined
      for (const event of events) {
        const eventKind = event.kind
        if (eventKind !== kind) {
          kind = eventKind
          plan = plans.get(eventKind)
        }
        if (plan === undefined) continue
        const index = plan.detections
        if (index) {
          // In pack order, so alerts of one event come out as they would without the index.
          const n = index.candidates(event, found)
          for (let r = 0; r < n; r++) {
            const rule = found[r] as CompiledDetection
            try {
              if (rule.matches(event)) alerts.push(buildAlert(rule, event, undefined))
            } catch (error) {
              countError(errors, rule.ir.id, messageOf(error))
            }
          }
        }
        const onHits = plan.onHits
        // (The hits read only where a rule needs them: most kinds have none.)
        const hits = onHits.length > 0 ? event.hits : undefined
        if (Array.isArray(hits) && hits.length > 0) {
          for (const rule of onHits) {
            try {
              if (rule.matches(event)) alerts.push(buildAlert(rule, event, undefined))
            } catch (error) {
              countError(errors, rule.ir.id, messageOf(error))
            }
          }
        }
        const stateful = plan.stateful
        if (stateful === undefined) continue
        const n = stateful.candidates(event, foundStateful)
        const number = ++eventNumber
        // Read once for all its stateful rules: each read is a megamorphic load.
        const ts = event.ts
        for (let r = 0; r < n; r++) {
          const rule = foundStateful[r] as Stateful
          rule.pushed = number
          try {
            alertsOf(rule, rule.correlator.push(event, ts), alerts)
          } catch (error) {
            countError(errors, rule.ir.id, messageOf(error))
          }
        }
        const sequences = plan.sequences
        for (let r = 0; r < sequences.length; r++) {
          const rule = sequences[r] as CompiledSequence
          if (rule.pushed === number) continue
          try {
            alertsOf(rule, rule.correlator.tick(event, ts), alerts)
          } catch (error) {
            countError(errors, rule.ir.id, messageOf(error))
          }
        }
      }
      return { alerts, errors: collect(errors) }
    },
    flush(ctx) {
      const alerts: Alert[] = []
      const errors = new Map<string, RuleError>()
      bind(ctx, errors)
      for (const rule of allCorrelations) {
        try {
          alertsOf(rule, rule.correlator.flush(), alerts)
        } catch (error) {
          countError(errors, rule.ir.id, messageOf(error))
        }
      }
      alerts.sort((a, b) => a.ts - b.ts)
      return { alerts, errors: collect(errors) }
    },
    state: () =>
      allCorrelations.map((rule) => ({ rule: rule.ir.id, groups: rule.correlator.groups() })),
    saveFirstSeen: () => seen.save(),
    loadFirstSeen: (state) => seen.load(state),
    firstSeenAdditions: () => seen.additions(),
  }
}

/** True when the condition cannot hold without an intel hit: it is one, or and-ed with one. */
export function needsHit(expr: ExprIR): boolean {
  if (expr.op === 'intel') return true
  // Only operands before a first_seen: skipping the rule must not skip what it would record.
  if (expr.op === 'and') {
    for (const arg of expr.args) {
      if (hasState(arg)) return false
      if (needsHit(arg)) return true
    }
    return false
  }
  if (expr.op === 'or') return expr.args.length > 0 && expr.args.every(needsHit)
  return false
}

function append<T>(map: Map<string, T[]>, kind: string, item: T): void {
  const list = map.get(kind)
  if (list) list.push(item)
  else map.set(kind, [item])
}

/** The alerts of a stateful rule's firings, appended to `into`. */
function alertsOf(
  rule: Stateful,
  firings: readonly (Firing | SequenceFiring)[],
  into: Alert[],
): void {
  for (let f = 0; f < firings.length; f++) {
    const firing = firings[f] as Firing | SequenceFiring
    into.push(buildAlert(rule, firing.event, firing))
  }
}

function buildAlert(
  rule: CompiledDetection | Stateful,
  event: SocEvent,
  firing: Firing | SequenceFiring | undefined,
): Alert {
  const { ir, texts } = rule
  // Correlation text may name aggregates ($0, $1…) beside the fields of the last event; sequence
  // text may name the event of each step by its label.
  let view = event
  if (firing) {
    view = { ...event }
    firing.values.forEach((value, i) => {
      if (value !== undefined) view[`$${i}`] = value
    })
    if ('steps' in firing) Object.assign(view, firing.steps)
  }
  const shown = texts(view)
  const alert: Alert = {
    rule: ir.id,
    version: ir.version,
    class: ir.class,
    severity: ir.severity,
    ts: event.ts,
    // A correlation without emit key is keyed by its group values.
    key: dedupKey(
      ir.id,
      firing && rule.key.length === 0 ? firing.group : keyValues(rule.key, event),
    ),
    title: shown.title,
    explain: shown.explain,
    actions: shown.actions,
    attack: ir.attack,
    event,
  }
  if (event.src !== undefined) alert.src = event.src
  if (event.dst !== undefined) alert.dst = event.dst
  if (event.flow !== undefined) alert.flow = event.flow
  if (firing && ir.type === 'sequence' && 'steps' in firing) {
    const values: Record<string, number> = {}
    for (const [label, stepEvent] of Object.entries(firing.steps))
      values[`${label}.ts`] = stepEvent.ts
    alert.correlation = { start: firing.start, end: event.ts, group: firing.group, values }
  } else if (firing && ir.type === 'correlation') {
    const values: Record<string, number> = {}
    ir.aggregates.forEach((aggregate, i) => {
      const value = firing.values[i]
      if (value !== undefined) values[aggregateLabel(aggregate)] = value
    })
    alert.correlation = { start: firing.start, end: event.ts, group: firing.group, values }
  }
  return alert
}

function keyValues(key: Getter[], event: SocEvent): unknown[] {
  const values: unknown[] = new Array(key.length)
  for (let i = 0; i < key.length; i++) values[i] = (key[i] as Getter)(event)
  return values
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function countError(errors: Map<string, RuleError>, rule: string, message: string, by = 1): void {
  const id = `${rule}\u0000${message}`
  const known = errors.get(id)
  if (known) known.count += by
  else errors.set(id, { rule, message, count: by })
}
