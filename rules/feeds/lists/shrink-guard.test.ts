import { describe, expect, it } from 'vitest'
import { checkShrink } from './shrink-guard.ts'

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries))

describe('checkShrink', () => {
  it('allows growth and small shrinks', () => {
    expect(
      checkShrink(counts({ a: 100, b: 100 }), counts({ a: 150, b: 50 }), { maxShrink: 0.5 }),
    ).toEqual([])
  })
  it('refuses a shrink beyond the share, with a message that says what to do', () => {
    const refusals = checkShrink(
      counts({ 'malware.c2.ip': 20000 }),
      counts({ 'malware.c2.ip': 5000 }),
      { maxShrink: 0.5 },
    )
    expect(refusals).toEqual([
      {
        list: 'malware.c2.ip',
        previous: 20000,
        next: 5000,
        lost: 0.75,
        message:
          'list malware.c2.ip would shrink from 20000 to 5000 entries (-75%), more than the allowed 50%; update refused (check the feed, then accept with --accept-shrink malware.c2.ip)',
      },
    ])
  })
  it('treats a vanished list as emptied, and honours per-list shares and acceptance', () => {
    expect(
      checkShrink(counts({ gone: 10 }), counts({}), { maxShrink: 0.5 }).map((r) => r.next),
    ).toEqual([0])
    expect(
      checkShrink(counts({ tor: 100 }), counts({ tor: 30 }), {
        maxShrink: 0.5,
        perList: { tor: 0.8 },
      }),
    ).toEqual([])
    expect(
      checkShrink(counts({ tor: 100 }), counts({ tor: 0 }), { maxShrink: 0.5, accepted: ['tor'] }),
    ).toEqual([])
  })
})
