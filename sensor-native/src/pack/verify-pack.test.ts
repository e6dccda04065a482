import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { verifyPack } from './verify-pack.ts'

const plan = { v: 1, intel: [{ list: 't', ioc: 'domain', entries: ['pirate.sea'] }], content: [] }
const rules = [{ id: 'SB-X', version: 2 }]
const hash = createHash('sha256').update(JSON.stringify({ rules, plan })).digest('hex')
const body = JSON.stringify({ v: 1, version: '2026.11.27-1', hash, rules, plan })

describe('verify pack', () => {
  it('accepts a pack whose hash covers its rules and plan, and hands out the plan', () => {
    const check = verifyPack(body, `"${hash}"`)
    expect(check).toEqual({
      ok: true,
      pack: { version: '2026.11.27-1', hash, tag: hash, plan: JSON.stringify(plan) },
    })
    expect(verifyPack(body, null).ok).toBe(true)
  })

  it('refuses altered content, a wrong ETag and what is not a pack, saying why', () => {
    const altered = body.replace('pirate.sea', 'pirate.see')
    expect(verifyPack(altered, `"${hash}"`)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/pack 2026.11.27-1 does not match its hash/),
    })
    expect(verifyPack(body, '"abc"')).toMatchObject({ reason: expect.stringMatching(/ETag "abc"/) })
    expect(verifyPack('{"v":1', null)).toMatchObject({ reason: expect.stringMatching(/not JSON/) })
    expect(verifyPack('{"v":2}', null)).toMatchObject({ reason: expect.stringMatching(/format 2/) })
    const noPlan = JSON.stringify({ v: 1, version: 'x', hash, rules, plan: { v: 3 } })
    expect(verifyPack(noPlan, null)).toMatchObject({ reason: /no match plan v1/ })
  })
})

describe('verify pack with policies', () => {
  const policies = [{ type: 'policy', id: 'default', version: 1 }]
  const policyHash = createHash('sha256').update(JSON.stringify({ policies })).digest('hex')
  const withPolicies = JSON.stringify({
    v: 1,
    version: 'p-1',
    hash,
    rules,
    plan,
    policies,
    policyHash,
  })
  const tag = `${hash}.${policyHash}`

  it('names the pack by hash and policy hash, which must be its ETag', () => {
    expect(verifyPack(withPolicies, `"${tag}"`)).toEqual({
      ok: true,
      pack: { version: 'p-1', hash, tag, plan: JSON.stringify(plan) },
    })
    // The plan's hash alone is not the tag of a pack with policies.
    expect(verifyPack(withPolicies, `"${hash}"`)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not its tag/),
    })
  })

  it('refuses policies changed on the way or a policy hash that does not cover them', () => {
    const altered = withPolicies.replace('"default"', '"other"')
    expect(verifyPack(altered, null)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/pack p-1: its policies and site variables do not match/),
    })
    const unhashed = JSON.stringify({ v: 1, version: 'p-2', hash, rules, plan, policies })
    expect(verifyPack(unhashed, null)).toMatchObject({ ok: false })
  })
})
