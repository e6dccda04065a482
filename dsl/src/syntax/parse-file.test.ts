import { describe, expect, it } from 'vitest'
import { parseFile } from './parse-file.ts'

const parse = (text: string) => parseFile({ path: 'x.soc', text })

const minimal = `detection "SB-TEST-0001" version 2 {
  title { en "Hello {query}" ja "こんにちは" }
  on dns where query == "a.example" and not (src.port < 1024 or qtype in [A, "AAAA"])
  emit key [src.ip, query]
}`

describe('parseFile', () => {
  it('builds a detection with sections in source order', () => {
    const { file, diagnostics } = parse(minimal)
    expect(diagnostics).toEqual([])
    const rule = file?.rules[0]
    expect(rule?.id.value).toBe('SB-TEST-0001')
    expect(rule?.version.value).toBe(2)
    expect(rule?.sections.map((s) => s.name)).toEqual(['title', 'on', 'emit'])
  })

  it('binds not tighter than and, and tighter than or', () => {
    const { file } = parse(
      'detection "X" version 1 { on dns where not a == 1 and b == 2 or c == 3 }',
    )
    const on = file?.rules[0]?.sections[0]
    if (on?.name !== 'on') throw new Error('no on section')
    const where = on.where
    expect(where?.type).toBe('or')
    if (where?.type !== 'or') return
    expect(where.left.type).toBe('and')
    if (where.left.type !== 'and') return
    expect(where.left.left.type).toBe('not')
  })

  it('lets section words be field names', () => {
    const { diagnostics } = parse(
      'detection "X" version 1 { on dns where version == 1 and key.status == 2 }',
    )
    expect(diagnostics).toEqual([])
  })

  it('keeps comments for the formatter', () => {
    const { file } = parse('// top\ndetection "X" version 1 { }')
    expect(file?.comments).toEqual([
      { text: '// top', at: { offset: 0, line: 1, column: 1, length: 6 } },
    ])
  })

  it('reads triple-quoted text without its indent', () => {
    const { file } = parse(
      'detection "X" version 1 {\n  explain { en """\n    line one\n      two\n  """ }\n}',
    )
    const section = file?.rules[0]?.sections[0]
    if (section?.name !== 'explain') throw new Error('no explain')
    expect(section.text.entries[0]?.text.value).toBe('line one\n  two')
  })

  it('reports a parse error at its line and column with an excerpt and a hint', () => {
    const { file, diagnostics } = parse('detection "X" version 1 {\n  on dns where query = "a"\n}')
    expect(file).toBeUndefined()
    expect(diagnostics[0]).toMatchObject({ file: 'x.soc', line: 2, column: 22 })
    expect(diagnostics[0]?.message).toBe('unexpected character "="')
    expect(diagnostics[0]?.hint).toMatch(/==/)
    expect(diagnostics[0]?.excerpt).toBe(
      '2 |   on dns where query = "a"\n  |                      ^',
    )
  })

  it('reports a lexing error at its line and column', () => {
    const { diagnostics } = parse('detection "X" version 1 {\n  title { en "a" ja "b" } @\n}')
    expect(diagnostics[0]).toMatchObject({
      line: 2,
      column: 27,
      message: 'unexpected character "@"',
    })
  })

  it('reports an unterminated string', () => {
    const { diagnostics } = parse('detection "X" version 1 {\n  title { en "open\n }\n}')
    expect(diagnostics[0]).toMatchObject({ line: 2, column: 14 })
    expect(diagnostics[0]?.hint).toMatch(/close on the same line/)
  })

  it('reports a missing closing brace at the end of the file', () => {
    const { diagnostics } = parse('detection "X" version 1 {\n  on dns')
    expect(diagnostics.at(-1)).toMatchObject({ line: 2, column: 9 })
    expect(diagnostics.at(-1)?.message).toMatch(/unexpected end of file/)
  })

  it('names the expected section when a word is misspelt', () => {
    const { diagnostics } = parse('detection "X" version 1 {\n  severty high\n}')
    expect(diagnostics[0]).toMatchObject({ line: 2, column: 3 })
    expect(diagnostics[0]?.message).toMatch(/expected a section \(title, /)
  })
})
