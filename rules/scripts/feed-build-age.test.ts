import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { staleFeedBuild } from './feed-build-age.ts'

function layout() {
  const root = mkdtempSync(join(tmpdir(), 'feed-age-'))
  const feeds = join(root, 'feeds')
  const out = join(root, 'dist/feeds')
  mkdirSync(join(feeds, 'et-open'), { recursive: true })
  mkdirSync(out, { recursive: true })
  writeFileSync(join(feeds, 'et-open/rule-translate.ts'), '')
  writeFileSync(join(feeds, 'et-open/rule-translate.test.ts'), '')
  writeFileSync(join(out, 'report.json'), '{}')
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds)
  return { feeds, out, at }
}

describe('staleFeedBuild', () => {
  it('names a build older than an importer, with how to rebuild it', () => {
    const { feeds, out, at } = layout()
    at(join(out, 'report.json'), 1_000)
    at(join(feeds, 'et-open/rule-translate.ts'), 2_000)
    expect(staleFeedBuild(out, feeds)).toMatch(/rm -rf rules\/dist\/feeds/)
  })

  it('says nothing when the build is newer, whatever the tests beside the importers', () => {
    const { feeds, out, at } = layout()
    at(join(feeds, 'et-open/rule-translate.ts'), 1_000)
    at(join(out, 'report.json'), 2_000)
    at(join(feeds, 'et-open/rule-translate.test.ts'), 3_000)
    expect(staleFeedBuild(out, feeds)).toBeUndefined()
  })
})
