import { describe, expect, it } from 'vitest'
import type { ExprIR, SequenceIR } from './ir.ts'
import { sequenceIR, stepIR } from './rule-ir.fixture.ts'
import { createSequencer } from './sequencer.ts'
import type { SocEvent } from './types.ts'

const is = (field: string, value: string): ExprIR => ({
  op: 'cmp',
  cmp: '==',
  left: { ref: field },
  right: { lit: value },
})
const step = stepIR

const base: SequenceIR = sequenceIR({
  steps: [step('dl', 'http', is('method', 'GET')), step('c2', 'conn', is('state', 'SF'))],
})

const http = (ts: number, ip = '10.0.0.5'): SocEvent => ({
  kind: 'http',
  ts,
  src: { ip },
  method: 'GET',
})
const conn = (ts: number, ip = '10.0.0.5', state = 'SF'): SocEvent => ({
  kind: 'conn',
  ts,
  src: { ip },
  state,
})
const dns = (ts: number, ip = '10.0.0.5'): SocEvent => ({
  kind: 'dns',
  ts,
  src: { ip },
  query: 'av.example',
})

function run(ir: Partial<SequenceIR>, events: SocEvent[]) {
  const sequencer = createSequencer({ ...base, ...ir })
  return [...events.flatMap((e) => sequencer.push(e)), ...sequencer.flush()]
}

describe('createSequencer', () => {
  it('fires when the steps happen in order, for the same key, within the time', () => {
    const firings = run({}, [http(0), conn(30_000)])
    expect(firings.map((f) => [f.start, f.event.ts, f.group, Object.keys(f.steps)])).toEqual([
      [0, 30_000, ['10.0.0.5'], ['dl', 'c2']],
    ])
  })

  it('stays quiet out of order, for another key, or too late', () => {
    expect(run({}, [conn(0), http(1000)])).toEqual([])
    expect(run({}, [http(0, 'a'), conn(1000, 'b')])).toEqual([])
    expect(run({}, [http(0), conn(60_001)])).toEqual([])
  })

  it('needs a new first step after a completed sequence', () => {
    expect(run({}, [http(0), conn(1000), conn(2000)])).toHaveLength(1)
    expect(run({}, [http(0), conn(1000), http(3000), conn(4000)])).toHaveLength(2)
  })

  it('is cancelled by an absent step between two steps', () => {
    const steps = [
      step('dl', 'http', is('method', 'GET')),
      step('av', 'dns', is('query', 'av.example'), true),
      step('c2', 'conn', is('state', 'SF')),
    ]
    expect(run({ steps }, [http(0), dns(500), conn(1000)])).toEqual([])
    expect(run({ steps }, [dns(0), http(500), conn(1000)])).toHaveLength(1)
  })

  it('is cancelled by until', () => {
    const until = step('', 'dns', is('query', 'av.example'))
    expect(run({ until }, [http(0), dns(500), conn(1000)])).toEqual([])
  })

  it('keeps the latest start, which has the most time left', () => {
    expect(run({}, [http(0), http(50_000), conn(100_000)]).map((f) => f.start)).toEqual([50_000])
  })

  it('counts keys over the limit', () => {
    const sequencer = createSequencer({ ...base, limits: { groups: 1, distinct: 1, events: 100 } })
    for (const event of [http(0, 'a'), http(1, 'b')]) sequencer.push(event)
    expect(sequencer.takeOverflow().groups).toBe(1)
    expect(sequencer.kinds).toEqual(['http', 'conn'])
  })
})
