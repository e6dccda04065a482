// Errors are data: whatever text a rule file holds, checking it returns diagnostics and never
// throws (so `socbox rules check` never shows a stack trace).
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { formatSource } from '../format/format-source.ts'
import { compileRules } from './compile-rules.ts'

vi.setConfig({ testTimeout: 60_000 })

const valid = `detection "SB-T-0001" version 1 {
  title { en "x {query}" ja "y" }
  class "info.x"
  severity low
  on dns where query matches /a+b/ and src.ip in [10.0.0.0/8] or not exists(rcode)
  emit key [src.ip]
  test "t" { given dns { query "a" } expect 1 }
}
correlation "SB-T-0002" version 1 {
  title { en "{count}" }
  class "recon.scan"
  severity low
  on conn group by src.ip window sliding 1m when distinct(dst.port) > 3
}
`

// Mutations of a valid file reach deeper into parser and checker than random text does.
const mutated = fc
  .tuple(fc.nat(valid.length), fc.nat(12), fc.string({ maxLength: 8 }))
  .map(
    ([at, cut, insert]) =>
      valid.slice(0, at) + insert + valid.slice(Math.min(valid.length, at + cut)),
  )

describe('checking arbitrary rule text', () => {
  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = compileRules([{ path: 'x.soc', text }], undefined)
        return Array.isArray(result.diagnostics)
      }),
      { numRuns: 500 },
    )
  })

  it('never throws on mutated rules, and every diagnostic points into the file', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        const { diagnostics } = compileRules([{ path: 'x.soc', text }], undefined)
        const lines = text.split('\n').length
        for (const d of diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1)
          expect(d.line).toBeLessThanOrEqual(lines)
          expect(d.column).toBeGreaterThanOrEqual(1)
          expect(d.message).not.toBe('')
        }
      }),
      { numRuns: 500 },
    )
  })

  it('formats every mutated file that parses idempotently, and without changing its IR', () => {
    const ir = (text: string) =>
      compileRules([{ path: 'x.soc', text }], undefined).rules.map((r) => r.ir)
    fc.assert(
      fc.property(mutated, (text) => {
        const once = formatSource({ path: 'x.soc', text }).text
        if (once === undefined) return
        expect(formatSource({ path: 'x.soc', text: once }).text).toBe(once)
        expect(ir(once)).toEqual(ir(text))
      }),
      { numRuns: 300 },
    )
  })
})
