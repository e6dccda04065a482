import { describe, expect, it } from 'vitest'
import { communityIdV1 } from './community-id.ts'
import { decodeBatch } from './decode-batch.ts'
import { WireError } from './wire-error.ts'

// Hand-made vectors written from dsl/schema/README.md §2 before the Rust encoder existed.
const twoGroups = {
  v: 1,
  n: 3,
  groups: [
    {
      kind: 'dns',
      n: 2,
      cols: {
        ts: [1700000000123, 40],
        flow: ['1:a=', '1:b='],
        'src.ip': ['10.0.0.5', '10.0.0.6'],
        'src.port': [53211, 53212],
        'src.internal': [true, true],
        'dst.ip': ['8.8.8.8', '8.8.8.8'],
        'dst.port': [53, 53],
        'dst.internal': [false, false],
        query: ['a.example', 'b.example'],
        rcode: ['NOERROR', null],
        answers: [['1.2.3.4'], null],
      },
    },
    {
      kind: 'intel',
      n: 1,
      cols: {
        ts: [1700000000123],
        list: ['maltrail.onion'],
        ioc: ['domain'],
        indicator: ['onion.to'],
      },
    },
  ],
}

describe('decodeBatch', () => {
  it('decodes groups into flat events, merged by ts with group order kept on ties', () => {
    const events = decodeBatch(JSON.stringify(twoGroups))
    expect(events).toEqual([
      {
        kind: 'dns',
        ts: 1700000000123,
        flow: '1:a=',
        src: { ip: '10.0.0.5', port: 53211, internal: true },
        dst: { ip: '8.8.8.8', port: 53, internal: false },
        query: 'a.example',
        rcode: 'NOERROR',
        answers: ['1.2.3.4'],
      },
      {
        kind: 'intel',
        ts: 1700000000123,
        list: 'maltrail.onion',
        ioc: 'domain',
        indicator: 'onion.to',
      },
      {
        kind: 'dns',
        ts: 1700000000163,
        flow: '1:b=',
        src: { ip: '10.0.0.6', port: 53212, internal: true },
        dst: { ip: '8.8.8.8', port: 53, internal: false },
        query: 'b.example',
      },
    ])
  })

  it('keeps keys in column order after kind and ts', () => {
    const [event] = decodeBatch(JSON.stringify(twoGroups))
    expect(Object.keys(event ?? {})).toEqual([
      'kind',
      'ts',
      'flow',
      'src',
      'dst',
      'query',
      'rcode',
      'answers',
    ])
  })

  it('undoes negative ts deltas and sorts across the merged stream', () => {
    const batch = {
      v: 1,
      n: 3,
      groups: [{ kind: 'dns', n: 3, cols: { ts: [1000, -400, 900], query: ['x', 'y', 'z'] } }],
    }
    expect(decodeBatch(JSON.stringify(batch)).map((e) => [e.ts, e.query])).toEqual([
      [600, 'y'],
      [1000, 'x'],
      [1500, 'z'],
    ])
  })

  it('makes plain objects, as JSON.parse would (the Worker passes them on and stores them)', () => {
    for (const event of decodeBatch(JSON.stringify(twoGroups))) {
      expect(Object.getPrototypeOf(event)).toBe(Object.prototype)
      expect(structuredClone(event)).toEqual(event)
    }
    // Endpoints too, with `internal` left out where it is null.
    const batch = {
      v: 1,
      n: 2,
      groups: [
        {
          kind: 'conn',
          n: 2,
          cols: {
            ts: [1, 1],
            'src.ip': ['10.0.0.5', '10.0.0.6'],
            'src.port': [1, 2],
            'src.internal': [true, null],
          },
        },
      ],
    }
    const [first, second] = decodeBatch(JSON.stringify(batch))
    for (const src of [first?.src, second?.src]) {
      expect(Object.getPrototypeOf(src)).toBe(Object.prototype)
      expect(structuredClone(src)).toEqual(src)
    }
    expect(JSON.stringify([first?.src, second?.src])).toBe(
      '[{"ip":"10.0.0.5","port":1,"internal":true},{"ip":"10.0.0.6","port":2}]',
    )
  })

  it('accepts UTF-8 bytes', () => {
    const bytes = new TextEncoder().encode(JSON.stringify(twoGroups))
    expect(decodeBatch(bytes)).toHaveLength(3)
  })

  it('leaves out an object whose columns are all null', () => {
    const batch = {
      v: 1,
      n: 1,
      groups: [{ kind: 'dns', n: 1, cols: { ts: [5], 'src.ip': [null] } }],
    }
    expect(decodeBatch(JSON.stringify(batch))).toEqual([{ kind: 'dns', ts: 5 }])
  })

  it('v2: computes the flows given as a protocol number, keeps the ones sent, v1 takes no transform', () => {
    const batch = structuredClone(twoGroups) as unknown as {
      v: number
      groups: { cols: { flow?: unknown[] } }[]
    }
    batch.v = 2
    ;(batch.groups[0] as { cols: { flow: unknown[] } }).cols.flow = [17, '1:b=']
    const [first, second] = decodeBatch(JSON.stringify(batch)).filter((e) => e.kind === 'dns')
    expect(first?.flow).toBe(communityIdV1('10.0.0.5', '8.8.8.8', 17, 53211, 53))
    expect(Object.keys(first ?? {}).slice(0, 4)).toEqual(['kind', 'ts', 'flow', 'src'])
    expect(second?.flow).toBe('1:b=')
    batch.v = 1
    expect(decodeBatch(JSON.stringify(batch))[0]?.flow).toBe(17)
  })

  it('builds endpoints with whatever fields a row has, in column order', () => {
    const batch = {
      v: 2,
      n: 3,
      groups: [
        {
          kind: 'icmp',
          n: 3,
          cols: {
            ts: [1, 1, 1],
            'src.ip': ['10.0.0.1', '10.0.0.1', null],
            'src.port': [null, 7, 8],
            'src.internal': [true, null, null],
            type: [8, 8, 8],
          },
        },
      ],
    }
    const events = decodeBatch(JSON.stringify(batch))
    expect(events.map((e) => JSON.stringify(e))).toEqual([
      '{"kind":"icmp","ts":1,"src":{"ip":"10.0.0.1","internal":true},"type":8}',
      '{"kind":"icmp","ts":2,"src":{"ip":"10.0.0.1","port":7},"type":8}',
      '{"kind":"icmp","ts":3,"src":{"port":8},"type":8}',
    ])
  })

  it('puts an object whose columns are apart where its first present field is', () => {
    const batch = {
      v: 2,
      n: 2,
      groups: [
        {
          kind: 'dns',
          n: 2,
          cols: {
            ts: [1, 1],
            'src.ip': ['10.0.0.5', null],
            query: ['a.example', 'b.example'],
            flow: [17, '1:b='],
            'src.port': [53211, 53212],
            'dst.ip': ['8.8.8.8', '8.8.8.8'],
            'dst.port': [53, 53],
          },
        },
      ],
    }
    const events = decodeBatch(JSON.stringify(batch))
    expect(events.map((e) => Object.keys(e))).toEqual([
      ['kind', 'ts', 'src', 'query', 'flow', 'dst'],
      ['kind', 'ts', 'query', 'flow', 'src', 'dst'],
    ])
    expect(events[0]).toEqual({
      kind: 'dns',
      ts: 1,
      src: { ip: '10.0.0.5', port: 53211 },
      query: 'a.example',
      flow: communityIdV1('10.0.0.5', '8.8.8.8', 17, 53211, 53),
      dst: { ip: '8.8.8.8', port: 53 },
    })
    expect(events[1]?.src).toEqual({ port: 53212 })
  })

  it('marks a later wire version as unsupported, not a body without one', () => {
    const caught = (text: string) => {
      try {
        decodeBatch(text)
      } catch (error) {
        return error as WireError
      }
      throw new Error('expected a WireError')
    }
    expect(caught('{"v":3,"n":0,"groups":[]}').unsupportedVersion).toBe(true)
    expect(caught('{"v":"2","n":0,"groups":[]}').unsupportedVersion).toBeUndefined()
    expect(caught('{"n":0,"groups":[]}').unsupportedVersion).toBeUndefined()
    expect(caught('{"v":0,"n":0,"groups":[]}').unsupportedVersion).toBeUndefined()
  })

  it('decodes an empty batch', () => {
    expect(decodeBatch('{"v":1,"n":0,"groups":[]}')).toEqual([])
  })

  const rejections: [string, unknown, { group?: number; column?: string; message: RegExp }][] = [
    ['unknown version', { v: 3, n: 0, groups: [] }, { message: /unknown wire version 3/ }],
    ['no version', { n: 0, groups: [] }, { message: /"v" must be a wire version/ }],
    [
      'v2 flow to derive without ports',
      {
        v: 2,
        n: 1,
        groups: [
          {
            kind: 'icmp',
            n: 1,
            cols: { ts: [1], flow: [6], 'src.ip': ['10.0.0.1'], 'dst.ip': ['10.0.0.2'] },
          },
        ],
      },
      { group: 0, column: 'flow', message: /entry 0 asks to derive the flow under protocol 6/ },
    ],
    [
      'v2 flow to derive under a protocol without ports',
      {
        v: 2,
        n: 2,
        groups: [
          {
            kind: 'conn',
            n: 2,
            cols: {
              ts: [1, 1],
              flow: ['1:x', 1],
              'src.ip': ['10.0.0.1', '10.0.0.1'],
              'src.port': [1, 1],
              'dst.ip': ['10.0.0.2', '10.0.0.2'],
              'dst.port': [2, 2],
            },
          },
        ],
      },
      { group: 0, column: 'flow', message: /entry 1 asks to derive the flow under protocol 1/ },
    ],
    ['missing n', { v: 1, groups: [] }, { message: /"n"/ }],
    [
      'short column',
      { v: 1, n: 2, groups: [{ kind: 'dns', n: 2, cols: { ts: [1, 1], query: ['a'] } }] },
      {
        group: 0,
        column: 'query',
        message: /group 0, column "query": has 1 entries, the group has n=2/,
      },
    ],
    [
      'batch n disagrees with the groups',
      { v: 1, n: 3, groups: [{ kind: 'dns', n: 2, cols: { ts: [1, 1] } }] },
      { message: /n=3 but its groups hold 2/ },
    ],
    [
      'fractional ts',
      { v: 1, n: 1, groups: [{ kind: 'dns', n: 1, cols: { ts: [1.5] } }] },
      { group: 0, column: 'ts', message: /not an integer/ },
    ],
    [
      'missing ts',
      { v: 1, n: 1, groups: [{ kind: 'dns', n: 1, cols: { query: ['a'] } }] },
      { group: 0, message: /"ts" column/ },
    ],
    [
      'two dots',
      { v: 1, n: 1, groups: [{ kind: 'dns', n: 1, cols: { ts: [1], 'a.b.c': [1] } }] },
      { group: 0, column: 'a.b.c', message: /one dot/ },
    ],
    [
      'prototype key',
      { v: 1, n: 1, groups: [{ kind: 'dns', n: 1, cols: { ts: [1], 'src.__proto__': [{}] } }] },
      { group: 0, column: 'src.__proto__', message: /reserved/ },
    ],
    [
      'object and plain column of the same name',
      {
        v: 1,
        n: 1,
        groups: [{ kind: 'dns', n: 1, cols: { ts: [1], src: ['x'], 'src.ip': ['y'] } }],
      },
      { group: 0, column: 'src.ip', message: /both a column and an object/ },
    ],
    [
      'second group broken',
      {
        v: 1,
        n: 2,
        groups: [
          { kind: 'dns', n: 1, cols: { ts: [1] } },
          { kind: '', n: 1, cols: { ts: [1] } },
        ],
      },
      { group: 1, message: /"kind"/ },
    ],
  ]

  for (const [name, batch, expected] of rejections) {
    it(`rejects ${name} with a WireError naming where`, () => {
      let caught: unknown
      try {
        decodeBatch(JSON.stringify(batch))
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(WireError)
      const error = caught as WireError
      expect(error.message).toMatch(expected.message)
      expect(error.group).toBe(expected.group)
      expect(error.column).toBe(expected.column)
    })
  }

  it('rejects bytes that are not UTF-8 and text that is not JSON', () => {
    expect(() => decodeBatch(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(/UTF-8/)
    expect(() => decodeBatch('{"v":1,')).toThrow(WireError)
  })
})
