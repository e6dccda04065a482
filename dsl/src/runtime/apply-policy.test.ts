import { describe, expect, it } from 'vitest'
import { compileRules } from '../pack/compile-rules.ts'
import { compilePolicy, type PolicyAlert } from './apply-policy.ts'
import type { PolicyState } from './policy-state.ts'

const HOUR = 3_600_000
const T0 = Date.parse('2026-11-27T00:00:00Z')

function policyOf(body: string, variables = '') {
  const text = `${variables}\npolicy "p" version 3 {\n${body}\n}`
  const compiled = compileRules([{ path: 'p.soc', text }], undefined)
  expect(compiled.diagnostics).toEqual([])
  const [policy] = compiled.policies
  if (!policy) throw new Error('no policy')
  return compilePolicy(policy.ir, compiled.variables)
}

const alert = (over: Partial<PolicyAlert> = {}): PolicyAlert => ({
  rule: 'SB-C2-0002',
  version: 1,
  class: 'malware.c2',
  severity: 'high',
  ts: T0,
  key: 'SB-C2-0002|10.0.0.5',
  src: { ip: '10.0.0.5', internal: true },
  dst: { ip: '198.51.100.7', internal: false },
  ...over,
})
const ctx = { tenant: 'acme', sensor: 's1' }

describe('compilePolicy', () => {
  it('maps severity line by line, in order', () => {
    const policy = policyOf(`
  raise severity to critical when class == "malware.c2" and dst.internal == false
  lower severity by 2 when tenant == "lab"
  set severity to info when rule == "SB-X-0001"`)
    const [stored] = policy.apply([alert({ severity: 'medium' })], ctx, undefined).store
    expect(stored?.alert.severity).toBe('critical')
    expect(stored?.ruleSeverity).toBe('medium')
    const lab = policy.apply([alert({ severity: 'medium' })], { ...ctx, tenant: 'lab' }, undefined)
    expect(lab.store[0]?.alert.severity).toBe('medium') // critical, then down two levels
    expect(
      policy.apply([alert({ rule: 'SB-X-0001' })], ctx, undefined).store[0]?.alert.severity,
    ).toBe('info')
  })

  it('suppresses by exception until it expires, then stores and reports the expired exception', () => {
    const policy = policyOf(`
  except "lab-scanners" owner "netops@example.jp" reason "sanctioned" expires 2026-12-31
    when class == "recon.scan" and src.ip in cidr("10.9.0.0/24")`)
    const scan = alert({ class: 'recon.scan', src: { ip: '10.9.0.7' } })
    const before = policy.apply([scan], ctx, undefined)
    expect(before.store).toEqual([])
    expect(before.suppressed).toEqual([{ alert: scan, reason: 'exception', name: 'lab-scanners' }])
    expect(before.state.totals.exceptions).toEqual({ 'lab-scanners': 1 })
    // The end of 2026-12-31 in JST.
    const expiry = Date.parse('2027-01-01T00:00:00+09:00')
    const after = policy.apply([{ ...scan, ts: expiry }], ctx, before.state)
    expect(after.store).toHaveLength(1)
    expect(after.expired).toEqual([
      { name: 'lab-scanners', owner: 'netops@example.jp', expires: '2026-12-31', count: 1 },
    ])
    expect(after.state.totals.expired).toEqual({ 'lab-scanners': 1 })
    // Other hosts were never covered.
    expect(policy.apply([alert({ class: 'recon.scan' })], ctx, undefined).store).toHaveLength(1)
  })

  it('suppresses inside a window in event time only', () => {
    const policy = policyOf(`
  suppress "pentest" owner "sec" reason "yearly test" from 2026-11-27T09:00 to 2026-11-27T18:00 when class == "recon.scan"`)
    const at = (iso: string) => alert({ class: 'recon.scan', ts: Date.parse(iso) })
    const out = policy.apply(
      [
        at('2026-11-27T08:59:59+09:00'),
        at('2026-11-27T09:00:00+09:00'),
        at('2026-11-27T18:00:00+09:00'),
      ],
      ctx,
      undefined,
    )
    expect(out.store.map((s) => s.alert.ts)).toEqual([
      Date.parse('2026-11-27T08:59:59+09:00'),
      Date.parse('2026-11-27T18:00:00+09:00'),
    ])
    expect(out.suppressed.map((s) => [s.reason, s.name])).toEqual([['suppression', 'pentest']])
  })

  it('dedups by rule and emit key per window, across calls through saved JSON state', () => {
    const policy = policyOf(`
  dedup 10m by src.ip when class == "recon.scan"
  dedup 1h`)
    const first = policy.apply([alert(), alert({ ts: T0 + 59 * 60_000 })], ctx, undefined)
    expect(first.store).toHaveLength(1)
    expect(first.store[0]?.storeKey).toBe(`SB-C2-0002|10.0.0.5@${T0}`)
    expect(first.suppressed).toEqual([
      {
        alert: alert({ ts: T0 + 59 * 60_000 }),
        reason: 'dedup',
        name: `SB-C2-0002|10.0.0.5@${T0}`,
      },
    ])
    const saved = JSON.parse(JSON.stringify(first.state)) as PolicyState
    const later = policy.apply([alert({ ts: T0 + HOUR }), alert({ key: 'other' })], ctx, saved)
    // One hour after the first: a new episode; another key: a new alert.
    expect(later.store.map((s) => s.storeKey)).toEqual([
      `other@${T0}`,
      `SB-C2-0002|10.0.0.5@${T0 + HOUR}`,
    ])
    // Another tenant has its own windows.
    expect(policy.apply([alert()], { ...ctx, tenant: 'other' }, saved).store).toHaveLength(1)
    // by src.ip: scans of different rules from one host are one finding.
    const scans = policy.apply(
      [
        alert({ class: 'recon.scan', rule: 'SB-R-1' }),
        alert({ class: 'recon.scan', rule: 'SB-R-1', key: 'x' }),
      ],
      ctx,
      undefined,
    )
    expect(scans.store).toHaveLength(1)
  })

  it('folds the overflow of a rate limit into one digest that counts and names it', () => {
    const policy = policyOf(`
  rate 2 per 1h
  route immediate when severity >= high`)
    const alerts = Array.from({ length: 5 }, (_, i) => alert({ key: `k${i}`, ts: T0 + i * 1000 }))
    const out = policy.apply(alerts, ctx, undefined)
    expect(out.store.map((s) => s.alert.key)).toEqual(['k0', 'k1'])
    expect(out.suppressed.map((s) => s.reason)).toEqual(['rate', 'rate', 'rate'])
    expect(out.digests).toEqual([]) // the window is still open
    const closed = policy.apply([], { ...ctx, watermark: T0 + HOUR }, out.state)
    expect(closed.digests).toHaveLength(1)
    const digest = closed.digests[0]
    expect(digest?.alert).toMatchObject({
      rule: 'SB-C2-0002',
      class: 'malware.c2',
      severity: 'high',
      ts: T0 + 4000,
      digest: {
        policy: 'p',
        count: 3,
        keys: ['k2', 'k3', 'k4'],
        more: 0,
        rules: { 'SB-C2-0002': 3 },
      },
    })
    expect(digest?.alert.title.en).toBe(
      '3 more alert(s) of SB-C2-0002 folded by the rate limit (2 per 1h)',
    )
    expect(digest?.alert.title.ja).toContain('3件')
    expect(digest?.routes).toEqual(['immediate'])
    expect(out.suppressed[0]?.name).toBe(digest?.storeKey)
    expect(closed.state.rates).toEqual([])
    expect(closed.state.totals).toMatchObject({ stored: 2, rate: 3, digests: 1 })
  })

  it('emits pending digests at the end of input', () => {
    const policy = policyOf('  rate 1 per 1d')
    const out = policy.apply([alert({ key: 'a' }), alert({ key: 'b' })], ctx, undefined)
    expect(policy.flush(ctx, out.state).digests.map((d) => d.alert.digest?.count)).toEqual([1])
  })

  it('routes by severity, class and tenant to every matching channel', () => {
    const policy = policyOf(`
  route immediate when severity >= high
  route digest when severity == medium
  route operations when starts_with(class, "device.")
  route "acme-soc" when tenant == "acme" and severity >= medium`)
    const routes = (a: PolicyAlert, tenant = 'acme') =>
      policy.apply([a], { ...ctx, tenant }, undefined).store[0]?.routes
    expect(routes(alert())).toEqual(['immediate', 'acme-soc'])
    expect(routes(alert({ severity: 'medium', class: 'device.offline' }), 'b')).toEqual([
      'digest',
      'operations',
    ])
    expect(routes(alert({ severity: 'low' }), 'b')).toEqual([])
    expect(policy.routes(alert({ class: 'device.drops', severity: 'low' }), ctx)).toEqual([
      'operations',
    ])
  })

  it('uses the tenant value of a site variable, and the default when none or a bad one is set', () => {
    const policy = policyOf(
      '  raise severity to critical when dst.ip in $crown_jewels',
      'variable $crown_jewels cidrs [192.0.2.0/24]',
    )
    const level = (site?: Record<string, unknown>) =>
      policy.apply([alert({ severity: 'low' })], { ...ctx, ...(site ? { site } : {}) }, undefined)
    expect(level().store[0]?.alert.severity).toBe('low')
    expect(level({ crown_jewels: ['198.51.100.0/24'] }).store[0]?.alert.severity).toBe('critical')
    const bad = level({ crown_jewels: 'everything' })
    expect(bad.store[0]?.alert.severity).toBe('low')
    expect(bad.problems).toEqual([
      'site setting $crown_jewels ignored: $crown_jewels is a list of cidrs',
    ])
  })

  it('keeps its state bounded and counts what it had to evict', () => {
    const policy = policyOf('  limits { dedup 2 }\n  dedup 1h')
    const alerts = ['a', 'b', 'c'].map((key, i) => alert({ key, ts: T0 + i }))
    const out = policy.apply(alerts, ctx, undefined)
    expect(out.state.dedup.map((e) => e.key)).toEqual(['acme\u0000b', 'acme\u0000c'])
    expect(out.state.evicted.dedup).toBe(1)
    // Ended episodes are dropped from the saved state.
    const later = policy.apply([], { ...ctx, watermark: T0 + 2 * HOUR }, out.state)
    expect(later.state.dedup).toEqual([])
  })

  it('starts empty from state of another policy or a damaged row, and says so', () => {
    const policy = policyOf('  dedup 1h')
    const first = policy.apply([alert()], ctx, undefined)
    const other = { ...first.state, policy: 'other@1' }
    const out = policy.apply([alert()], ctx, other)
    expect(out.store).toHaveLength(1)
    expect(out.problems).toEqual([
      'saved policy state belongs to other@1, not p@3: windows start empty',
    ])
    expect(policy.apply([alert()], ctx, { v: 9 } as never).problems).toEqual([
      'saved policy state is not version 1: starting empty',
    ])
  })

  it('gives the same result for the same alerts in any order', () => {
    const policy = policyOf('  dedup 1h\n  rate 3 per 1h')
    const alerts = Array.from({ length: 8 }, (_, i) =>
      alert({ key: `k${i % 5}`, ts: T0 + i * 60_000 }),
    )
    const forward = policy.apply(alerts, ctx, undefined)
    const backward = policy.apply([...alerts].reverse(), ctx, undefined)
    expect(backward.store).toEqual(forward.store)
    expect(backward.state).toEqual(forward.state)
  })
})
