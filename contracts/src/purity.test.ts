import { describe, expect, it } from 'vitest'

// The package promises no I/O, no clock and no imports from the rest of the repo, so the edge,
// the CLI and tests can all pass "now" in. Read every non-test source as text and hold it to that.
const sources = import.meta.glob<string>(['./*.ts', '!./*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

const forbidden: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'reads the clock'],
  [/\bnew Date\s*\(/, 'builds a Date (host time zone or clock)'],
  [/\bperformance\b|\bprocess\b|\bconsole\b|\bfetch\s*\(/, 'touches the runtime'],
  [/\bMath\.random\b/, 'is not deterministic'],
]

describe('package purity', () => {
  it('finds the sources', () => {
    expect(Object.keys(sources)).toContain('./index.ts')
    expect(Object.keys(sources).length).toBeGreaterThanOrEqual(10)
  })

  for (const [file, text] of Object.entries(sources)) {
    it(`${file} imports only sibling modules and reads no clock`, () => {
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      const specifiers = [...code.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1])
      for (const specifier of specifiers) expect(specifier).toMatch(/^\.\/[a-z-]+\.ts$/)
      for (const [pattern, why] of forbidden) expect(code, `${file} ${why}`).not.toMatch(pattern)
    })
  }
})
