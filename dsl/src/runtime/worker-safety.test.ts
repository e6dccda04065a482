// The Worker bundles only src/runtime: no parser, no Node APIs, no code generation from strings.
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const folder = new URL('./', import.meta.url)
const sources = readdirSync(folder).filter(
  (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
)

describe('runtime sources', () => {
  it('exist', () => {
    expect(sources).toContain('index.ts')
  })

  for (const name of sources) {
    it(`${name} imports only runtime siblings and uses no eval`, () => {
      const text = readFileSync(new URL(name, folder), 'utf8')
      const imports = [...text.matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'/g)].map(
        (m) => m[1],
      )
      for (const path of imports)
        expect(path, `${name} imports ${path}`).toMatch(/^\.\/[a-z0-9-]+\.ts$/)
      // Comments may name what is forbidden; only code counts.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
      expect(code).not.toMatch(
        /\beval\s*\(|new\s+Function\b|\bFunction\s*\(|\brequire\s*\(|\bprocess\.|\bBuffer\b/,
      )
    })
  }
})
