import { describe, expect, it } from 'vitest'
import { compileExpr } from './compile-expr.ts'
import type { ExprIR } from './ir.ts'
import type { SocEvent } from './types.ts'

const event: SocEvent = {
  kind: 'dns',
  ts: 1,
  src: { ip: '10.0.0.5', port: 5353 },
  query: 'Badsite.Onion.To',
  answers: ['1.2.3.4', '5.6.7.8'],
  ttl: 30,
  hits: [{ list: 'demo.onion', field: 'query', indicator: 'onion.to' }],
}

const run = (expr: ExprIR, on: SocEvent = event) => compileExpr(expr)(on)
const ref = (path: string) => ({ ref: path })
const lit = (value: string | number | boolean) => ({ lit: value })

describe('compileExpr', () => {
  it('compares fields with constants and with other fields', () => {
    expect(run({ op: 'cmp', cmp: '==', left: ref('src.ip'), right: lit('10.0.0.5') })).toBe(true)
    expect(run({ op: 'cmp', cmp: '<', left: ref('ttl'), right: ref('src.port') })).toBe(true)
    expect(run({ op: 'cmp', cmp: '>=', left: ref('ttl'), right: lit(31) })).toBe(false)
  })

  it('treats an absent field as false in every comparison, != included', () => {
    for (const cmp of ['==', '!=', '<', '>'] as const) {
      expect(run({ op: 'cmp', cmp, left: ref('rcode'), right: lit('NOERROR') })).toBe(false)
      expect(run({ op: 'cmp', cmp, left: ref('dst.ip'), right: ref('src.ip') })).toBe(false)
    }
    expect(
      run({ op: 'not', arg: { op: 'cmp', cmp: '==', left: ref('rcode'), right: lit('x') } }),
    ).toBe(true)
    expect(run({ op: 'in', value: ref('rcode'), set: ['NOERROR'] })).toBe(false)
    expect(run({ op: 'exists', field: 'rcode' })).toBe(false)
    expect(run({ op: 'exists', field: 'src.ip' })).toBe(true)
  })

  it('does not order values of different types', () => {
    expect(run({ op: 'cmp', cmp: '<', left: ref('query'), right: lit(5) })).toBe(false)
    expect(run({ op: 'cmp', cmp: '<', left: lit('a'), right: lit('b') })).toBe(true)
  })

  it('matches a list field when any element is in the set', () => {
    expect(run({ op: 'in', value: ref('answers'), set: ['5.6.7.8'] })).toBe(true)
    expect(run({ op: 'in', value: ref('answers'), set: ['9.9.9.9'] })).toBe(false)
  })

  it('tests a schema field against a set as the path reads it (its getter), endpoints included', () => {
    const inSet = (path: string, set: (string | number)[]) =>
      ({ op: 'in', value: ref(path), set }) as ExprIR
    expect(run(inSet('src.port', [53, 5353]))).toBe(true)
    expect(run(inSet('src.ip', ['10.0.0.6']))).toBe(false)
    // No endpoint, or one that is not an object (events from outside the types): absent, in no set.
    expect(run(inSet('dst.port', [5353]))).toBe(false)
    expect(run(inSet('src.port', [5353]), { ...event, src: 'text' } as unknown as SocEvent)).toBe(
      false,
    )
    expect(run(inSet('src.port', [5353]), { ...event, src: null } as unknown as SocEvent)).toBe(
      false,
    )
    // Not a schema field: read by its path, as before.
    expect(run(inSet('custom.port', [1]), { ...event, custom: { port: 1 } })).toBe(true)
  })

  it('applies string functions, propagating absence', () => {
    const lowerQuery = { fn: 'lower', args: [ref('query')] }
    expect(run({ op: 'cmp', cmp: '==', left: lowerQuery, right: lit('badsite.onion.to') })).toBe(
      true,
    )
    expect(
      run({
        op: 'cmp',
        cmp: '==',
        left: { fn: 'ends_with', args: [lowerQuery, lit('.to')] },
        right: lit(true),
      }),
    ).toBe(true)
    expect(
      run({ op: 'cmp', cmp: '==', left: { fn: 'len', args: [ref('rcode')] }, right: lit(0) }),
    ).toBe(false)
  })

  it('matches regexes, on each element of a list field', () => {
    expect(run({ op: 'match', value: ref('query'), pattern: '\\.onion\\.to$', flags: 'i' })).toBe(
      true,
    )
    expect(run({ op: 'match', value: ref('query'), pattern: '\\.onion\\.to$', flags: '' })).toBe(
      false,
    )
    expect(run({ op: 'match', value: ref('answers'), pattern: '^5\\.', flags: '' })).toBe(true)
    expect(run({ op: 'match', value: ref('rcode'), pattern: '', flags: '' })).toBe(false)
  })

  it('tests addresses against prefixes, ignoring what is not an address', () => {
    expect(run({ op: 'cidr', value: ref('src.ip'), cidrs: ['192.168.0.0/16', '10.0.0.0/8'] })).toBe(
      true,
    )
    expect(run({ op: 'cidr', value: ref('src.ip'), cidrs: ['10.0.0.6'] })).toBe(false)
    expect(run({ op: 'cidr', value: ref('answers'), cidrs: ['5.6.0.0/16'] })).toBe(true)
    expect(run({ op: 'cidr', value: ref('query'), cidrs: ['0.0.0.0/0'] })).toBe(false)
    expect(() => compileExpr({ op: 'cidr', value: ref('src.ip'), cidrs: ['nope'] })).toThrow(/nope/)
  })

  it('checks intel hits by list and field', () => {
    expect(run({ op: 'intel', list: 'demo.onion', field: 'query' })).toBe(true)
    expect(run({ op: 'intel', list: 'demo.onion', field: 'answers' })).toBe(false)
    expect(run({ op: 'intel', list: 'other', field: 'query' })).toBe(false)
    expect(
      run(
        { op: 'intel', list: 'demo.onion', field: 'query' },
        { kind: 'dns', ts: 1, hits: 'junk' },
      ),
    ).toBe(false)
  })

  it('short-circuits and / or', () => {
    let calls = 0
    const counting: SocEvent = { kind: 'dns', ts: 1 }
    Object.defineProperty(counting, 'query', {
      get: () => {
        calls++
        return 'x'
      },
    })
    const q = { op: 'cmp', cmp: '==', left: ref('query'), right: lit('x') } as const
    expect(run({ op: 'or', args: [{ op: 'const', value: true }, q] }, counting)).toBe(true)
    expect(run({ op: 'and', args: [{ op: 'const', value: false }, q] }, counting)).toBe(false)
    expect(calls).toBe(0)
  })

  it('decides and / or of any number of operands as every / some of them', () => {
    // Each arity has its own closure (2 to 6 for and, 2 to 3 for or, a loop beyond).
    for (let n = 1; n <= 8; n++)
      for (let bits = 0; bits < 1 << n; bits++) {
        const values = Array.from({ length: n }, (_, i) => ((bits >> i) & 1) === 1)
        const args = values.map((value): ExprIR => ({ op: 'const', value }))
        expect(run({ op: 'and', args })).toBe(values.every(Boolean))
        expect(run({ op: 'or', args })).toBe(values.some(Boolean))
      }
  })
})
