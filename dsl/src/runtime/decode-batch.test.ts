import { describe, expect, it } from 'vitest'
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

  it('decodes an empty batch', () => {
    expect(decodeBatch('{"v":1,"n":0,"groups":[]}')).toEqual([])
  })

  const rejections: [string, unknown, { group?: number; column?: string; message: RegExp }][] = [
    ['unknown version', { v: 2, n: 0, groups: [] }, { message: /unknown batch version 2/ }],
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
