// Runs the tests written inside policies on the production policy runtime: the alerts of a test
// go through compilePolicy's apply one at a time in event-time order (so the saved state is
// carried from call to call as at the edge), then the input ends (flush) and the expectations
// are compared with what the policy did.
import { ALERT_FIELDS } from '../check/alert-fields.ts'
import type { CompiledPolicy as CheckedPolicy } from '../pack/compile-rules.ts'
import { compilePolicy, type PolicyAlert } from '../runtime/apply-policy.ts'
import type { VariableIR } from '../runtime/ir.ts'
import type { PolicyState } from '../runtime/policy-state.ts'
import { type Endpoint, SEVERITIES, type Severity } from '../runtime/types.ts'
import type { EventFixture } from '../syntax/ast.ts'
import { FIXTURE_EPOCH } from './fixture-events.ts'
import type { TestOutcome } from './run-rule-tests.ts'

type TestAlert = PolicyAlert & { tenant: string; sensor: string }

export function runPolicyTests(
  policies: readonly CheckedPolicy[],
  variables: readonly VariableIR[],
): TestOutcome[] {
  const outcomes: TestOutcome[] = []
  for (const { file, ir, tests } of policies) {
    const policy = compilePolicy(ir, variables)
    for (const test of tests) {
      const where = {
        rule: `policy ${ir.id}`,
        test: test.name.value,
        file: file.path,
        line: test.at.line,
        column: test.at.column,
      }
      const problems: string[] = []
      const alerts = alertFixtures(test.given, problems).sort((a, b) => a.ts - b.ts)
      if (problems.length > 0) {
        outcomes.push({ ...where, passed: false, message: problems.join('; ') })
        continue
      }
      let state: PolicyState | undefined
      const stored: { severity: Severity; routes: string[] }[] = []
      let suppressed = 0
      const names = new Set<string>()
      let digests = 0
      let folded = 0
      let expired = 0
      const take = (outcome: ReturnType<typeof policy.apply<TestAlert>>) => {
        for (const s of outcome.store) stored.push({ severity: s.alert.severity, routes: s.routes })
        suppressed += outcome.suppressed.length
        for (const s of outcome.suppressed) if (s.name) names.add(`${s.reason}:${s.name}`)
        digests += outcome.digests.length
        for (const d of outcome.digests) folded += d.alert.digest?.count ?? 0
        for (const e of outcome.expired) expired += e.count
        problems.push(...outcome.problems)
        state = outcome.state
      }
      let last = { tenant: 'test', sensor: 'test' }
      for (const alert of alerts) {
        last = { tenant: alert.tenant, sensor: alert.sensor }
        take(policy.apply([alert], { ...last, watermark: alert.ts }, state))
        // Through JSON, as the edge stores it between batches.
        state = JSON.parse(JSON.stringify(state)) as PolicyState
      }
      take(policy.flush(last, state))
      const failures: string[] = [...problems]
      const lastStored = stored.at(-1)
      for (const { name, value } of test.expect) {
        const want = value.type === 'list' ? value.items.map((i) => String(i.value)) : value.value
        const got = ((): unknown => {
          switch (name.value) {
            case 'stored':
              return stored.length
            case 'suppressed':
              return suppressed
            case 'digests':
              return digests
            case 'folded':
              return folded
            case 'expired':
              return expired
            case 'severity':
              return lastStored?.severity ?? '(nothing stored)'
            case 'route':
              return lastStored?.routes ?? '(nothing stored)'
            case 'exception':
              return names.has(`exception:${want}`)
                ? want
                : `(not suppressed by exception ${JSON.stringify(want)})`
            case 'window':
              return names.has(`suppression:${want}`)
                ? want
                : `(not suppressed by window ${JSON.stringify(want)})`
            default:
              return undefined
          }
        })()
        const same =
          Array.isArray(want) && Array.isArray(got)
            ? want.length === got.length && want.every((c) => got.includes(c))
            : got === want
        if (!same)
          failures.push(
            `expected ${name.value} ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
          )
      }
      outcomes.push({ ...where, passed: failures.length === 0, message: failures.join('; ') })
    }
  }
  return outcomes
}

const DEFAULT_GAP = 1000

function alertFixtures(fixtures: EventFixture[], problems: string[]): TestAlert[] {
  const alerts: TestAlert[] = []
  let time = FIXTURE_EPOCH - DEFAULT_GAP
  for (const fixture of fixtures) {
    time = fixture.offset === undefined ? time + DEFAULT_GAP : FIXTURE_EPOCH + fixture.offset.value
    const count = fixture.repeat?.count.value ?? 1
    const every = fixture.repeat?.every?.value ?? DEFAULT_GAP
    if (!Number.isInteger(count) || count < 1 || count > 10_000) {
      problems.push(
        `line ${fixture.at.line}: repeat is a whole number from 1 to 10000 in a policy test`,
      )
      continue
    }
    for (let i = 0; i < count; i++) alerts.push(alertOf(fixture, time + i * every, i, problems))
    time += (count - 1) * every
  }
  return alerts
}

function alertOf(fixture: EventFixture, ts: number, index: number, problems: string[]): TestAlert {
  const fields: Record<string, unknown> = {}
  for (const { path, value } of fixture.fields) {
    const spec = ALERT_FIELDS[path.value]
    if (spec === undefined) {
      problems.push(`line ${path.at.line}: alerts have no field ${path.value}`)
      continue
    }
    const fill = (v: string | number | boolean) =>
      typeof v === 'string' ? v.replaceAll('{i}', String(index)) : v
    let plain: unknown =
      value.type === 'list' ? value.items.map((item) => fill(item.value)) : fill(value.value)
    if (spec.type === 'number' && typeof plain === 'string') plain = Number(plain)
    fields[path.value] = plain
  }
  const endpoint = (side: 'src' | 'dst'): Endpoint | undefined => {
    const ip = fields[`${side}.ip`]
    if (typeof ip !== 'string') return undefined
    const point: Endpoint = { ip }
    if (typeof fields[`${side}.port`] === 'number') point.port = fields[`${side}.port`] as number
    if (typeof fields[`${side}.internal`] === 'boolean')
      point.internal = fields[`${side}.internal`] as boolean
    return point
  }
  const rule = typeof fields.rule === 'string' ? fields.rule : 'SB-TEST-0001'
  if (fields.severity !== undefined && !SEVERITIES.includes(fields.severity as Severity))
    problems.push(`line ${fixture.at.line}: severity is one of ${SEVERITIES.join(', ')}`)
  const src = endpoint('src')
  const dst = endpoint('dst')
  const alert: TestAlert = {
    rule,
    version: typeof fields.version === 'number' ? fields.version : 1,
    class: typeof fields.class === 'string' ? fields.class : 'info.test',
    severity: (typeof fields.severity === 'string' ? fields.severity : 'medium') as Severity,
    ts,
    key: typeof fields.key === 'string' ? fields.key : `${rule}|${src?.ip ?? ''}`,
    event: { kind: typeof fields.kind === 'string' ? fields.kind : 'dns' },
    attack: Array.isArray(fields.attack) ? (fields.attack as string[]) : [],
    tenant: typeof fields.tenant === 'string' ? fields.tenant : 'test',
    sensor: typeof fields.sensor === 'string' ? fields.sensor : 'test',
  }
  if (src) alert.src = src
  if (dst) alert.dst = dst
  if (typeof fields.flow === 'string') alert.flow = fields.flow
  return alert
}
