// One sequence rule's state: per key value, at most one partial match per completed step (the
// one that started last, which has the most time left), so state is bounded by keys × steps.
// Events are put in event-time order within the lateness first, as for correlations.
import {
  type CompileEnv,
  compileExpr,
  compileValue,
  type Getter,
  type Predicate,
} from './compile-expr.ts'
import type { Firing, Overflow } from './correlator.ts'
import type { SequenceIR } from './ir.ts'
import { createReorderBuffer } from './reorder-buffer.ts'
import type { SocEvent } from './types.ts'

export type SequenceFiring = Firing & { steps: Record<string, SocEvent> }

export type Sequencer = {
  kinds: string[]
  /** (`ts` as for Correlator.push; the reorder buffer reads the ts of what it holds itself.) */
  push(event: SocEvent, ts?: number): SequenceFiring[]
  /**
   * Takes an event that matches none of the steps nor `until` (the caller knows): it still
   * moves event time on, so later events older than it are late, as if it had been pushed.
   * Returns what it released (without lateness, nothing).
   */
  tick(event: SocEvent, ts: number): SequenceFiring[]
  flush(): SequenceFiring[]
  takeOverflow(): Overflow
  groups(): number
}

type Partial = { start: number; steps: Record<string, SocEvent> }
type KeyState = { values: unknown[]; partials: (Partial | undefined)[]; last: number }
type CompiledStep = {
  label: string
  on: string
  matches: Predicate
  key: Getter[]
  absent: boolean
  index: number
}

const SWEEP_EVERY = 1024
// Shared, never written to: most events complete no sequence.
const NO_FIRINGS: SequenceFiring[] = []

export function createSequencer(ir: SequenceIR, env?: CompileEnv): Sequencer {
  // Each step reads events of its own kind (KIND_FIELD_GETTERS in field-getters.ts).
  const stepEnv = (kind: string) => (env === undefined ? undefined : { ...env, kind })
  const compile = (step: SequenceIR['steps'][number], index: number): CompiledStep => ({
    label: step.label,
    on: step.on,
    matches: compileExpr(step.where, stepEnv(step.on)),
    key: step.key.map((value) => compileValue(value, stepEnv(step.on))),
    absent: step.absent,
    index,
  })
  const steps = ir.steps.map(compile)
  const until = ir.until ? compile(ir.until, -1) : undefined
  const positive = steps.filter((s) => !s.absent).map((s) => s.index)
  const first = positive[0] ?? 0
  const last = positive.at(-1) ?? 0
  const previousPositive = (index: number) => positive.filter((p) => p < index).at(-1)
  const kinds = [...new Set([...steps.map((s) => s.on), ...(until ? [until.on] : [])])]
  const buffer = createReorderBuffer(ir.lateness, ir.limits.events)
  const keys = new Map<string, KeyState>()
  const within = ir.within
  const overflow: Overflow = { groups: 0, events: 0, distinct: 0, late: 0 }
  let sinceSweep = 0

  const keyOf = (
    step: CompiledStep,
    event: SocEvent,
  ): { id: string; values: unknown[] } | undefined => {
    const values = step.key.map((get) => get(event))
    if (values.some((v) => v === undefined || v === null)) return undefined
    return { id: values.length === 1 ? String(values[0]) : JSON.stringify(values), values }
  }

  const sweep = (now: number) => {
    sinceSweep = 0
    // forEach rather than for…of: no [id, state] pair allocated per key visited.
    keys.forEach((state, id) => {
      if (now - state.last > within) keys.delete(id)
    })
  }

  // Firings of the events released by the current push or flush (none: no array).
  let fired: SequenceFiring[] | undefined
  const emit = (firing: SequenceFiring) => {
    if (fired === undefined) fired = [firing]
    else fired.push(firing)
  }
  // Every event released counts towards the next sweep, whether or not it can match a step.
  const countTowardsSweep = (ts: number) => {
    if (++sinceSweep >= SWEEP_EVERY) sweep(ts)
  }
  const process = (event: SocEvent): void => {
    // Read once: every read of a field of an event is a megamorphic load (see correlator.ts).
    const { ts, kind } = event
    countTowardsSweep(ts)
    if (until && until.on === kind && until.matches(event)) {
      const key = keyOf(until, event)
      if (key) keys.delete(key.id)
    }
    // Last step first, so one event never advances a partial match by two steps.
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i] as CompiledStep
      if (step.on !== kind || !step.matches(event)) continue
      const key = keyOf(step, event)
      if (!key) continue
      let state = keys.get(key.id)
      if (step.absent) {
        // Cancels partial matches that completed the step before it and wait for the next one.
        const before = previousPositive(step.index) ?? -1
        if (state)
          for (let p = before; p < step.index; p++) if (p >= 0) state.partials[p] = undefined
        continue
      }
      if (step.index === first) {
        if (!state) {
          if (keys.size >= ir.limits.groups) sweep(ts)
          if (keys.size >= ir.limits.groups) {
            overflow.groups++
            continue
          }
          state = { values: key.values, partials: [], last: ts }
          keys.set(key.id, state)
        }
        state.partials[first] = { start: ts, steps: { [step.label]: event } }
        state.last = ts
        if (first === last) emit(fire(state, first, event, key.id))
        continue
      }
      const from = previousPositive(step.index)
      const partial = from === undefined ? undefined : state?.partials[from]
      if (!state || !partial || from === undefined) continue
      if (ts - partial.start > ir.within) {
        state.partials[from] = undefined
        continue
      }
      state.partials[from] = undefined
      const advanced = { start: partial.start, steps: { ...partial.steps, [step.label]: event } }
      const existing = state.partials[step.index]
      if (!existing || existing.start <= advanced.start) state.partials[step.index] = advanced
      state.last = ts
      if (step.index === last) emit(fire(state, step.index, event, key.id))
    }
  }

  const fire = (state: KeyState, stage: number, event: SocEvent, id: string): SequenceFiring => {
    const partial = state.partials[stage] as Partial
    // A completed sequence starts over: the next alert needs a new first step.
    keys.delete(id)
    return { event, group: state.values, values: [], start: partial.start, steps: partial.steps }
  }

  const taken = (): SequenceFiring[] => {
    const firings = fired ?? NO_FIRINGS
    fired = undefined
    return firings
  }

  return {
    kinds,
    push(event) {
      if (!kinds.includes(event.kind)) return NO_FIRINGS
      buffer.push(event, process)
      return taken()
    },
    tick(event, ts) {
      // Without lateness and nothing held it would pass straight through to `process`, which
      // would only count it towards the next sweep.
      const passed = buffer.pass(ts)
      if (passed === undefined) {
        buffer.push(event, process)
        return taken()
      }
      if (passed) countTowardsSweep(ts)
      return NO_FIRINGS
    },
    flush() {
      buffer.flush(process)
      return taken()
    },
    takeOverflow() {
      const taken = { ...overflow, late: overflow.late + buffer.takeLate() }
      overflow.groups = 0
      overflow.late = 0
      return taken
    },
    groups: () => keys.size,
  }
}
