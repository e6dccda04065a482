// A compiled policy applied to the alerts the engine raised. Pure: no I/O, no clock. Time is the
// alerts' event time (and the caller's watermark, the newest event time of its input), so a
// replay gives the same result. Order, fixed and documented in the language reference:
//   exceptions → suppression windows → severity mapping → dedup → rate limit → routes.
// Nothing disappears silently: every alert not stored is in `suppressed` with its reason, and an
// alert folded by a rate limit is counted in a digest alert that says how many and which.
import {
  type CompileEnv,
  compileExpr,
  compileValue,
  type Getter,
  type Predicate,
} from './compile-expr.ts'
import { dedupKey } from './create-engine.ts'
import type { PolicyIR, VariableIR } from './ir.ts'
import {
  type DedupEntry,
  emptyPolicyState,
  type PolicyState,
  type RateWindow,
  restorePolicyState,
} from './policy-state.ts'
import { createSiteVariables } from './site-variables.ts'
import { type Alert, SEVERITIES, type Severity, type SiteSettings, type SocEvent } from './types.ts'

/** What a policy needs of an alert: the engine's alerts, and the edge's device alerts, have it. */
export type PolicyAlert = Pick<Alert, 'rule' | 'version' | 'class' | 'severity' | 'ts' | 'key'> &
  Partial<Pick<Alert, 'src' | 'dst' | 'flow' | 'attack'>> & { event?: { kind: string } }

export type PolicyContext = {
  tenant: string
  sensor: string
  site?: SiteSettings
  /** Event time the input has reached (e.g. the newest event of the batch): closes rate windows. */
  watermark?: number
}

export type SuppressReason = 'exception' | 'suppression' | 'dedup' | 'rate'

export type Suppressed<A> = {
  alert: A
  reason: SuppressReason
  /** The exception or suppression window; for dedup, the stored alert's key it repeats. */
  name?: string
}

export type Routed<A> = {
  /** The alert with its final severity. */
  alert: A
  /** Store it under this key: the dedup key and its episode, so a later episode is a new alert. */
  storeKey: string
  routes: string[]
  /** The severity the rule gave, when the policy changed it. */
  ruleSeverity?: Severity
}

export type Digest = { alert: Alert; storeKey: string; routes: string[] }

export type PolicyOutcome<A> = {
  store: Routed<A>[]
  suppressed: Suppressed<A>[]
  digests: Digest[]
  /** Exceptions that matched alerts after their expiry (the alerts were stored): renew or remove. */
  expired: { name: string; owner: string; expires: string; count: number }[]
  /** Counted, never silent: overrides of site settings that were ignored, state trouble. */
  problems: string[]
  state: PolicyState
}

export type CompiledPolicy = {
  id: string
  version: number
  /** Applies the policy to alerts (any order; handled in event-time order) given its state. */
  apply<A extends PolicyAlert>(
    alerts: readonly A[],
    ctx: PolicyContext,
    state: PolicyState | undefined,
  ): PolicyOutcome<A>
  /** End of input: every open rate window closes now, so pending digests come out. */
  flush(ctx: PolicyContext, state: PolicyState | undefined): PolicyOutcome<never>
  /** The channels an alert goes to, for alerts raised outside the rules (device health). */
  routes(alert: PolicyAlert, ctx: PolicyContext): string[]
  /** The state to start from, or saved state checked (unusable state → empty, with the reason). */
  restore(saved: unknown): { state: PolicyState; problem?: string }
}

type View = SocEvent & Record<string, unknown>

export function compilePolicy(ir: PolicyIR, variables: readonly VariableIR[] = []): CompiledPolicy {
  if (ir.type !== 'policy') throw new Error(`not a policy: ${String(ir.type)}`)
  const site = createSiteVariables(variables)
  const env: CompileEnv = {
    variable: (name) => site.slot(name),
    firstSeen() {
      throw new Error('first_seen is not available in a policy')
    },
  }
  const when = (expr: PolicyIR['dedup'][number]['when']): Predicate => compileExpr(expr, env)
  const values = (by: PolicyIR['dedup'][number]['by']): Getter[] | null =>
    by === null ? null : by.map((v) => compileValue(v, env))
  const exceptions = ir.exceptions.map((e) => ({ ...e, test: when(e.when) }))
  const suppressions = ir.suppressions.map((s) => ({ ...s, test: when(s.when) }))
  const severity = ir.severity.map((s) => ({ ...s, test: when(s.when) }))
  const dedup = ir.dedup.map((d) => ({ ...d, test: when(d.when), values: values(d.by) }))
  const rates = ir.rates.map((r) => ({ ...r, test: when(r.when), values: values(r.by) }))
  const routes = ir.routes.map((r) => ({ ...r, test: when(r.when) }))
  const name = `${ir.id}@${ir.version}`
  const limits = ir.limits

  const viewOf = (alert: PolicyAlert, ctx: PolicyContext, level: Severity): View => ({
    kind: alert.event?.kind ?? '',
    ts: alert.ts,
    rule: alert.rule,
    version: alert.version,
    class: alert.class,
    severity: level,
    key: alert.key,
    tenant: ctx.tenant,
    sensor: ctx.sensor,
    flow: alert.flow,
    attack: alert.attack ?? [],
    src: alert.src,
    dst: alert.dst,
  })
  const routesOf = (view: View): string[] => {
    const channels: string[] = []
    for (const route of routes)
      if (route.test(view))
        for (const c of route.channels) if (!channels.includes(c)) channels.push(c)
    return channels
  }

  const run = <A extends PolicyAlert>(
    alerts: readonly A[],
    ctx: PolicyContext,
    saved: PolicyState | undefined,
    closeAll: boolean,
  ): PolicyOutcome<A> => {
    const problems = site
      .bind(ctx.site)
      .map((p) => `site setting $${p.variable} ignored: ${p.message}`)
    const restored =
      saved === undefined ? { state: emptyPolicyState(name) } : restorePolicyState(saved, name)
    if (restored.problem) problems.push(restored.problem)
    const before = restored.state
    const totals = structuredCloneTotals(before.totals)
    const evicted = { ...before.evicted }
    let newest = before.newest
    const dedupState = new Map<string, DedupEntry>()
    for (const entry of before.dedup) dedupState.set(entry.key, { ...entry })
    const rateState = new Map<string, RateWindow>()
    for (const window of before.rates)
      rateState.set(window.scope, {
        ...window,
        keys: [...window.keys],
        rules: { ...window.rules },
        classes: [...window.classes],
      })

    const store: Routed<A>[] = []
    const suppressed: Suppressed<A>[] = []
    const digests: Digest[] = []
    const expired = new Map<
      string,
      { name: string; owner: string; expires: string; count: number }
    >()
    const closeWindow = (window: RateWindow) => {
      rateState.delete(window.scope)
      if (window.folded === 0) return
      const digest = digestOf(
        ir,
        window,
        limits.sample,
        rates[window.line]?.per ?? 0,
        rates[window.line]?.max ?? 0,
      )
      digest.routes = routesOf(
        viewOf(
          digest.alert,
          { tenant: window.tenant, sensor: window.sensor },
          digest.alert.severity,
        ),
      )
      digests.push(digest)
      totals.digests++
    }
    // The earliest end of an open window, so most alerts skip the scan.
    let nextDue = Number.POSITIVE_INFINITY
    for (const window of rateState.values()) nextDue = Math.min(nextDue, window.until)
    const closeDue = (time: number) => {
      if (time < nextDue) return
      nextDue = Number.POSITIVE_INFINITY
      for (const window of [...rateState.values()]) {
        if (window.until <= time) closeWindow(window)
        else nextDue = Math.min(nextDue, window.until)
      }
    }

    const ordered = [...alerts].sort((a, b) => a.ts - b.ts)
    for (const alert of ordered) {
      if (alert.ts > newest) newest = alert.ts
      closeDue(alert.ts)
      let level = alert.severity
      let view = viewOf(alert, ctx, level)

      let exception: (typeof exceptions)[number] | undefined
      for (const candidate of exceptions) {
        if (!candidate.test(view)) continue
        // Expired: no longer applies, and the report says it still matches things.
        if (alert.ts >= candidate.expires) noteExpired(expired, candidate)
        else {
          exception = candidate
          break
        }
      }
      if (exception) {
        suppressed.push({ alert, reason: 'exception', name: exception.name })
        totals.exceptions[exception.name] = (totals.exceptions[exception.name] ?? 0) + 1
        continue
      }
      const window = suppressions.find((s) => alert.ts >= s.from && alert.ts < s.to && s.test(view))
      if (window) {
        suppressed.push({ alert, reason: 'suppression', name: window.name })
        totals.suppressions[window.name] = (totals.suppressions[window.name] ?? 0) + 1
        continue
      }

      for (const line of severity) {
        if (!line.test(view)) continue
        level = mapSeverity(level, line.op, line.to, line.by)
        view = viewOf(alert, ctx, level)
      }

      const line = dedup.find((d) => d.test(view))
      let storeKey = `${alert.key}@${alert.ts}`
      if (line) {
        const key = line.values
          ? dedupKey(
              alert.rule,
              line.values.map((get) => get(view)),
            )
          : alert.key
        const scoped = `${ctx.tenant}\u0000${key}`
        const episode = dedupState.get(scoped)
        if (episode && alert.ts < episode.until && alert.ts >= episode.start - line.window) {
          episode.repeats++
          totals.dedup++
          suppressed.push({ alert, reason: 'dedup', name: episode.stored })
          continue
        }
        // Buckets of the window: two sensors of a tenant seeing the same finding in the same
        // bucket store one alert (the store's unique key), while one sensor's state gives the
        // sliding window.
        storeKey = `${alert.key}@${Math.floor(alert.ts / line.window) * line.window}`
        dedupState.delete(scoped)
        dedupState.set(scoped, {
          key: scoped,
          start: alert.ts,
          until: alert.ts + line.window,
          stored: storeKey,
          repeats: 0,
        })
        if (dedupState.size > limits.dedup) {
          const [oldestKey, oldest] = dedupState.entries().next().value as [string, DedupEntry]
          dedupState.delete(oldestKey)
          if (oldest.until > newest) evicted.dedup++
        }
      }

      const rateIndex = rates.findIndex((r) => r.test(view))
      const rate = rates[rateIndex]
      if (rate) {
        const scopeValues = rate.values ? rate.values.map((get) => get(view)) : [alert.rule]
        const scope = dedupKey(`${ctx.tenant}\u0000${rateIndex}`, scopeValues)
        let open = rateState.get(scope)
        if (open === undefined) {
          open = {
            scope,
            line: rateIndex,
            start: alert.ts,
            until: alert.ts + rate.per,
            count: 0,
            folded: 0,
            keys: [],
            rules: {},
            classes: [],
            severity: 0,
            first: alert.ts,
            last: alert.ts,
            tenant: ctx.tenant,
            sensor: ctx.sensor,
          }
          rateState.set(scope, open)
          nextDue = Math.min(nextDue, open.until)
          if (rateState.size > limits.rates) {
            const oldest = rateState.values().next().value as RateWindow
            if (oldest.folded > 0) evicted.rates++
            closeWindow(oldest)
          }
        }
        open.count++
        if (open.count > rate.max) {
          if (open.folded === 0) open.first = alert.ts
          open.folded++
          open.last = Math.max(open.last, alert.ts)
          open.rules[alert.rule] = (open.rules[alert.rule] ?? 0) + 1
          if (!open.classes.includes(alert.class)) open.classes.push(alert.class)
          open.severity = Math.max(open.severity, SEVERITIES.indexOf(level))
          if (open.keys.length < limits.sample && !open.keys.includes(alert.key))
            open.keys.push(alert.key)
          totals.rate++
          suppressed.push({ alert, reason: 'rate', name: digestKey(open) })
          continue
        }
      }

      const final = level === alert.severity ? alert : { ...alert, severity: level }
      const routed: Routed<A> = { alert: final, storeKey, routes: routesOf(view) }
      if (level !== alert.severity) routed.ruleSeverity = alert.severity
      store.push(routed)
      totals.stored++
    }
    if (ctx.watermark !== undefined && ctx.watermark > newest) newest = ctx.watermark
    closeDue(newest)
    if (closeAll) for (const window of [...rateState.values()]) closeWindow(window)
    // Episodes that ended no longer suppress anything: leave them out of the saved state.
    const dedupKept = [...dedupState.values()].filter((entry) => entry.until > newest)
    return {
      store,
      suppressed,
      digests,
      expired: [...expired.values()],
      problems,
      state: {
        v: 1,
        policy: name,
        newest,
        dedup: dedupKept,
        rates: [...rateState.values()],
        evicted,
        totals: (() => {
          for (const e of expired.values())
            totals.expired[e.name] = (totals.expired[e.name] ?? 0) + e.count
          return totals
        })(),
      },
    }
  }

  return {
    id: ir.id,
    version: ir.version,
    apply: (alerts, ctx, state) => run(alerts, ctx, state, false),
    flush: (ctx, state) => run([], ctx, state, true),
    routes: (alert, ctx) => {
      site.bind(ctx.site)
      return routesOf(viewOf(alert, ctx, alert.severity))
    },
    restore: (saved) => restorePolicyState(saved, name),
  }
}

function noteExpired(
  expired: Map<string, { name: string; owner: string; expires: string; count: number }>,
  exception: { name: string; owner: string; expiresText: string },
) {
  const known = expired.get(exception.name)
  if (known) known.count++
  else
    expired.set(exception.name, {
      name: exception.name,
      owner: exception.owner,
      expires: exception.expiresText,
      count: 1,
    })
}

function structuredCloneTotals(totals: PolicyState['totals']): PolicyState['totals'] {
  return {
    ...totals,
    exceptions: { ...totals.exceptions },
    suppressions: { ...totals.suppressions },
    expired: { ...totals.expired },
  }
}

export function mapSeverity(
  level: Severity,
  op: 'raise' | 'lower' | 'set',
  to: string | null,
  by: number,
): Severity {
  const current = SEVERITIES.indexOf(level)
  const target = to === null ? -1 : SEVERITIES.indexOf(to as Severity)
  let next = current
  if (op === 'set') next = target
  else if (op === 'raise') next = to === null ? current + by : Math.max(current, target)
  else next = to === null ? current - by : Math.min(current, target)
  return SEVERITIES[Math.max(0, Math.min(SEVERITIES.length - 1, next))] ?? level
}

const JST_MS = 9 * 3_600_000

/** Where a rate window's digest is stored; also the name folded alerts point at. */
function digestKey(window: RateWindow): string {
  const scope = window.scope.slice(window.scope.indexOf('\u0000') + 1)
  return `${dedupKey('digest', [window.tenant, scope])}@${window.start}`
}

/** `2026-11-27 21:05 JST`: what people read in digests (the service works in Japan time). */
export function jstMinute(ts: number): string {
  return `${new Date(ts + JST_MS).toISOString().slice(0, 16).replace('T', ' ')} JST`
}

function humanWindow(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`
  return `${ms}ms`
}

function digestOf(
  ir: PolicyIR,
  window: RateWindow,
  sample: number,
  per: number,
  max: number,
): Digest {
  const rules = Object.keys(window.rules).sort()
  const rule = rules.length === 1 ? (rules[0] as string) : 'digest'
  const cls = window.classes.length === 1 ? (window.classes[0] as string) : 'info.digest'
  const severity = SEVERITIES[window.severity] ?? 'info'
  const more = Math.max(0, window.folded - window.keys.length)
  const keys = window.keys.join(', ')
  const what = rules.length === 1 ? rule : rules.map((r) => `${r} ×${window.rules[r]}`).join(', ')
  const span = `${jstMinute(window.first)} – ${jstMinute(window.last)}`
  const limit = `${max} per ${humanWindow(per)}`
  const storeKey = digestKey(window)
  const event: SocEvent = { kind: 'digest', ts: window.last }
  const alert: Alert = {
    rule,
    version: ir.version,
    class: cls,
    severity,
    ts: window.last,
    key: storeKey,
    title: {
      en: `${window.folded} more alert(s) of ${what} folded by the rate limit (${limit})`,
      ja: `${what} のアラート${window.folded}件をまとめました（上限 ${limit}）`,
    },
    explain: {
      en: `Policy ${ir.id} stores at most ${limit}; the ${window.folded} alert(s) over it between ${span} are counted here instead of stored one by one. Keys: ${keys}${more > 0 ? ` and ${more} more` : ''}.`,
      ja: `ポリシー ${ir.id} の上限（${limit}）を超えた${window.folded}件（${span}）を個別に保存せず、ここに件数をまとめました。キー: ${keys}${more > 0 ? ` ほか${more}件` : ''}。`,
    },
    actions: {
      en: [
        'Review the listed keys; if the flood is expected, add an exception with an owner and expiry',
      ],
      ja: ['一覧のキーを確認し、想定内の大量発生であれば担当者と期限付きの例外を追加してください'],
    },
    attack: [],
    event,
    digest: {
      policy: ir.id,
      count: window.folded,
      keys: [...window.keys].slice(0, sample),
      more,
      rules: { ...window.rules },
      start: window.start,
      first: window.first,
      last: window.last,
    },
  }
  return { alert, storeKey, routes: [] }
}
