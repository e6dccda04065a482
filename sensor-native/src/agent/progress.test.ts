import { describe, expect, it } from 'vitest'
import { describe as describeProgress } from './progress.ts'

const stats = {
  packets: 1000,
  bytes: 125_000_000,
  malformed: 2,
  events: 40,
  offset: 50,
  size: 200,
  linktype: 'ethernet',
}

describe('progress line', () => {
  it('shows share done, rate, events, malformed packets and the time left', () => {
    expect(describeProgress('replay x', stats, 1, '3 alerts')).toBe(
      'replay x 25% · 1000 packets · 1.00 Gbit/s · 40 events · 2 malformed · 3 alerts eta 3s',
    )
  })
  it('leaves out the eta at the end and malformed when there are none', () => {
    expect(describeProgress('events', { ...stats, malformed: 0, offset: 200 }, 2)).toBe(
      'events 100% · 1000 packets · 0.50 Gbit/s · 40 events',
    )
  })
})
