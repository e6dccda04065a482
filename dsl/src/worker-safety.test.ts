// '@socbox/dsl' (the compiler side) must also load in a Worker, for rule previews: nothing it
// imports, directly or through other modules, may use Node APIs or generate code from strings.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = dirname(fileURLToPath(import.meta.url))

function reachable(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = []
  const packages = new Set<string>()
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    files.push(file)
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)) {
      const target = match[1] ?? ''
      if (target.startsWith('.')) visit(join(dirname(file), target))
      else packages.add(target)
    }
  }
  visit(entry)
  return { files, packages }
}

describe('the compiler entry point', () => {
  const { files, packages } = reachable(join(root, 'index.ts'))

  it('imports no package but chevrotain, and no Node API', () => {
    expect([...packages]).toEqual(['chevrotain'])
  })

  it('has no code generation from strings in any module it reaches', () => {
    expect(files.length).toBeGreaterThan(20)
    for (const file of files) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
      expect(code, file).not.toMatch(
        /\beval\s*\(|new\s+Function\b|\brequire\s*\(|\bprocess\.|\bBuffer\b/,
      )
    }
  })

  it('keeps the runtime entry free of chevrotain', () => {
    expect([...reachable(join(root, 'runtime', 'index.ts')).packages]).toEqual([])
  })
})
