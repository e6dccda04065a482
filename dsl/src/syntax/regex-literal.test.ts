import { describe, expect, it } from 'vitest'
import { parseFile } from './parse-file.ts'

function pattern(source: string) {
  const { file, diagnostics } = parseFile({
    path: 'x.soc',
    text: `detection "X" version 1 { on http where uri matches ${source} }`,
  })
  const on = file?.rules[0]?.sections[0]
  return { diagnostics, where: on?.name === 'on' ? on.where : undefined }
}

describe('regex literals', () => {
  it('keep a slash inside a character class', () => {
    expect(pattern('/[^/]+\\.exe$/i').where).toMatchObject({
      type: 'matches',
      pattern: '[^/]+\\.exe$',
      flags: 'i',
    })
    expect(pattern('/a[/\\]]b/').where).toMatchObject({ pattern: 'a[/\\]]b', flags: '' })
  })

  it('end at the first slash outside a class, escaped slashes included', () => {
    expect(pattern('/a\\/b/').where).toMatchObject({ pattern: 'a\\/b' })
    expect(pattern('/a/b/').diagnostics).not.toEqual([])
  })
})
