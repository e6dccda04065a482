import type { SocEvent } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { createEventOrder } from './event-order.ts'

const at = (ts: number, id = ts): SocEvent => ({ kind: 'conn', ts, id })
const times = (events: SocEvent[]) => events.map((e) => e.ts)

describe('createEventOrder', () => {
  it('holds events until the horizon has passed them, then releases them sorted', () => {
    const order = createEventOrder(1000)
    expect(times(order.push([at(500), at(100)]))).toEqual([])
    expect(times(order.push([at(1600), at(300)]))).toEqual([100, 300, 500])
    expect(times(order.drain())).toEqual([1600])
    expect(order.drain()).toEqual([])
  })

  it('passes on at once an event older than the horizon', () => {
    const order = createEventOrder(1000)
    order.push([at(10_000)])
    expect(times(order.push([at(2000)]))).toEqual([2000])
  })

  it('keeps the sensor order of events with the same time', () => {
    const order = createEventOrder(0)
    const out = order.push([at(5, 1), at(5, 2), at(5, 3)])
    expect(out.map((e) => e.id)).toEqual([1, 2, 3])
  })
})
