import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildDiagrams, buildReference } from './build-reference.ts'

// The reference is generated from the schema and the built-in tables; a change to either must
// come with `npm run docs -w @socbox/dsl`.
describe('language reference', () => {
  it('reference.md is up to date', () => {
    expect(readFileSync(new URL('./reference.md', import.meta.url), 'utf8')).toBe(buildReference())
  })

  it('builds syntax diagrams that load nothing from the network', () => {
    const html = buildDiagrams()
    expect(html).not.toMatch(/<script src=|<link [^>]*href=|https?:\/\/unpkg/)
    expect(html).toContain('railroad')
    expect(html).toContain('"name": "Correlation"')
    expect(html).toContain('"name": "windowSection"')
  })

  it('lists every event kind of the schema', () => {
    const text = buildReference()
    for (const kind of ['dns', 'conn', 'http', 'tls', 'intel'])
      expect(text).toContain(`### \`${kind}\``)
  })
})
