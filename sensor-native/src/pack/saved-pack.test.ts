import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSavedPack, savePack } from './saved-pack.ts'

describe('saved pack', () => {
  it('comes back as it was saved; none, or a damaged one, gives undefined with a report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socbox-pack-'))
    expect(loadSavedPack(dir)).toBeUndefined()
    const pack = {
      version: 'v2',
      hash: 'abc',
      tag: 'abc.def',
      plan: '{"v":1,"intel":[],"content":[]}',
    }
    savePack(dir, pack)
    expect(loadSavedPack(dir)).toEqual(pack)
    // Saved by an older agent, without a tag: its hash was the tag.
    const { tag: _tag, ...untagged } = pack
    writeFileSync(join(dir, 'pack.json'), JSON.stringify(untagged))
    expect(loadSavedPack(dir)).toEqual({ ...untagged, tag: 'abc' })
    const problems: string[] = []
    writeFileSync(join(dir, 'pack.json'), '{"version":"v2"')
    expect(loadSavedPack(dir, (p) => problems.push(p))).toBeUndefined()
    writeFileSync(join(dir, 'pack.json'), '{"version":"v2"}')
    expect(loadSavedPack(dir, (p) => problems.push(p))).toBeUndefined()
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/pack.json cannot be read/)
    expect(problems[1]).toMatch(/pack.json is not a saved pack/)
  })
})
