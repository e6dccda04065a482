import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadPlan, parseHomeNets, planFile, UsageError } from './options.ts'

describe('parseHomeNets', () => {
  it('splits and trims a comma list', () => {
    expect(parseHomeNets('10.0.0.0/8, 192.168.1.0/24')).toEqual(['10.0.0.0/8', '192.168.1.0/24'])
  })
  it('rejects an empty list with a hint', () => {
    expect(() => parseHomeNets(' , ')).toThrow(/at least one CIDR/)
  })
})

describe('loadPlan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'socbox-plan-'))
  const plan = { v: 1, intel: [{ list: 'x', ioc: 'domain', entries: ['a.example'] }], content: [] }
  it('takes the plan out of a pack', () => {
    const file = join(dir, 'pack.json')
    writeFileSync(file, JSON.stringify({ v: 1, version: '1', rules: [], plan }))
    expect(JSON.parse(loadPlan(file).plan as string)).toEqual(plan)
  })
  it('accepts a bare plan', () => {
    const file = join(dir, 'plan.json')
    writeFileSync(file, JSON.stringify(plan))
    expect(JSON.parse(loadPlan(file).plan as string)).toEqual(plan)
  })
  it("skips intel with 'none'", () => {
    expect(loadPlan('none').plan).toBeUndefined()
  })
  it('names the file that is not a plan', () => {
    const file = join(dir, 'other.json')
    writeFileSync(file, '{"hello":1}')
    expect(() => loadPlan(file)).toThrow(UsageError)
    expect(() => loadPlan(file)).toThrow(/other.json is neither/)
    expect(() => loadPlan(join(dir, 'missing.json'))).toThrow(/cannot read the match plan/)
  })
})

describe('planFile', () => {
  it('names the file for the sensor to read, the default pack without --plan', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socbox-planfile-'))
    const file = join(dir, 'plan.json')
    writeFileSync(file, '{"v":1}')
    expect(planFile(file)).toEqual({ file, from: file })
    expect(planFile('none')).toEqual({ from: 'none' })
    expect(planFile(undefined).from).toMatch(/pack\.json$|^none/)
  })
  it('refuses a file it cannot read', () => {
    expect(() => planFile('/nonexistent/plan.json')).toThrow(UsageError)
    expect(() => planFile('/nonexistent/plan.json')).toThrow(/cannot read the match plan/)
  })
})
