import { describe, expect, it } from 'vitest'
import { compileRules } from '../pack/compile-rules.ts'

function check(body: string, type = 'correlation') {
  const text = `${type} "SB-TEST-0001" version 1 {
  title { en "t" }
  class "recon.scan"
  severity medium
  ${body}
}`
  const { rules, diagnostics } = compileRules([{ path: 'r.soc', text }], undefined)
  return {
    ir: rules[0]?.ir,
    messages: diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`),
  }
}

describe('correlations', () => {
  it('lower to IR with aggregates registered once and referenced from when and text', () => {
    const { ir, messages } =
      check(`explain { en "{distinct(dst.port)} ports, {count} tries from {src.ip}" }
  on conn where state in [S0, REJ]
  group by src.ip
  window sliding 60s
  lateness 5s
  when distinct(dst.port) > 100 and (count >= 200 or max(orig_pkts) > 3)
  limits { groups 500 }`)
    expect(messages).toEqual([])
    expect(ir).toMatchObject({
      type: 'correlation',
      groupBy: [{ ref: 'src.ip' }],
      window: { type: 'sliding', ms: 60_000 },
      lateness: 5000,
      aggregates: [
        { fn: 'distinct', field: 'dst.port' },
        { fn: 'count' },
        { fn: 'max', field: 'orig_pkts' },
      ],
      limits: { groups: 500, distinct: 1000, events: 10_000 },
      key: [],
      explain: {
        en: [{ ref: '$0' }, ' ports, ', { ref: '$1' }, ' tries from ', { ref: 'src.ip' }],
      },
    })
    if (ir?.type !== 'correlation') throw new Error('not a correlation')
    expect(ir.when).toEqual({
      op: 'and',
      args: [
        { op: 'cmp', cmp: '>', left: { ref: '$0' }, right: { lit: 100 } },
        {
          op: 'or',
          args: [
            { op: 'cmp', cmp: '>=', left: { ref: '$1' }, right: { lit: 200 } },
            { op: 'cmp', cmp: '>', left: { ref: '$2' }, right: { lit: 3 } },
          ],
        },
      ],
    })
  })

  it.each([
    ['on conn group by src.ip when count > 1', '1:13 correlation SB-TEST-0001 has no window'],
    ['on conn window sliding 60s', '1:13 correlation SB-TEST-0001 has no when'],
    ['on conn window hopping 60s when count > 1', '5:18 unknown window hopping'],
    ['on conn window sliding 8d when count > 1', '5:26 a window lasts from 1 ms to 7 days'],
    ['on conn window sliding 1m lateness 2h when count > 1', '5:38 lateness is at most 1h'],
    ['on conn window sliding 1m when cnt > 1', '5:34 cnt is not an aggregate'],
    [
      'on conn window sliding 1m when sum(state) > 1',
      '5:38 sum needs a number field; state is a string',
    ],
    ['on conn window sliding 1m when distinct(nope) > 1', '5:43 conn events have no field nope'],
    [
      'on conn window sliding 1m when count > "x"',
      '5:42 aggregates are numbers; compare them with a number',
    ],
    ['on conn window sliding 1m when count in [1]', '5:34 when holds comparisons of aggregates'],
    [
      'on conn window sliding 1m when count > 1 limits { groups 0 }',
      '5:60 groups must be a whole number from 1 to 1000000',
    ],
    ['on conn window sliding 1m when count > 1 limits { keys 5 }', '5:53 unknown limit keys'],
    ['on conn group by src.ip, src.ip window sliding 1m when count > 1', '5:28 grouped by twice'],
    [
      'on conn group by src.internal window sliding 1m when count > 1',
      '5:20 grouping by a true/false value makes two groups',
    ],
    [
      'on conn group by lower(state), 5 window sliding 1m when count > 1',
      '5:34 unexpected "5": expected a field path or a call',
    ],
  ])('%s', (body, message) => {
    expect(check(body).messages).toEqual([message])
  })

  it('refuses correlation sections in a detection', () => {
    expect(check('on conn window sliding 1m when count > 1', 'detection').messages).toEqual([
      '5:11 window belongs in a correlation',
      '5:29 when belongs in a correlation',
    ])
  })

  it('groups by a function of fields', () => {
    const { ir, messages } = check(
      'on dns group by src.ip, last_labels(query, 2) window tumbling 1h when distinct(query) > 50',
    )
    expect(messages).toEqual([])
    expect(ir?.type === 'correlation' && ir.groupBy[1]).toEqual({
      fn: 'last_labels',
      args: [{ ref: 'query' }, { lit: 2 }],
    })
  })
})
