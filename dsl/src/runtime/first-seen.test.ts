import { describe, expect, it } from 'vitest'
import { createFirstSeenStore } from './first-seen.ts'

const DAY = 86_400_000

describe('first_seen state', () => {
  it('is new once per window, per tenant, in event time', () => {
    const store = createFirstSeenStore()
    const seen = store.site('SB-X-0001#0', 30 * DAY)
    store.tenant = 'a'
    expect(seen('example.com', 0)).toBe(true)
    expect(seen('example.com', 29 * DAY)).toBe(false)
    // Each sighting renews it: 30 days after the last one, not the first.
    expect(seen('example.com', 58 * DAY)).toBe(false)
    expect(seen('example.com', 89 * DAY)).toBe(true)
    store.tenant = 'b'
    expect(seen('example.com', 89 * DAY)).toBe(true)
  })

  it('evicts the least recently seen value and counts only evictions inside the window', () => {
    const store = createFirstSeenStore({ values: 2, tenants: 4 })
    const seen = store.site('R#0', DAY)
    store.tenant = 't'
    seen('a', 0)
    seen('b', 1)
    seen('a', 2) // a is now the most recent
    seen('c', 3) // evicts b, still inside its window
    expect(store.takeEvictions()).toEqual(new Map([['R#0', 1]]))
    expect(seen('b', 4)).toBe(true) // forgotten, so new again: that is what the count warns of
    seen('d', 3 * DAY) // evicts a value long outside its window: not a loss
    expect(store.takeEvictions()).toEqual(new Map([['R#0', 1]]))
    expect(store.size()).toBe(2)
  })

  it('survives save and load through JSON, and ignores sites the pack no longer has', () => {
    const store = createFirstSeenStore()
    const seen = store.site('R#0', DAY)
    store.tenant = 't'
    seen('a', 0)
    const saved = JSON.parse(JSON.stringify(store.save()))
    const next = createFirstSeenStore()
    const again = next.site('R#0', DAY)
    next.tenant = 't'
    expect(next.load({ ...saved, sites: { ...saved.sites, 'GONE#0': { t: [['x', 1]] } } })).toEqual(
      [],
    )
    expect(again('a', 10)).toBe(false)
    expect(next.load({ v: 2 })).toEqual(['first_seen state is not version 1: starting empty'])
  })
})
