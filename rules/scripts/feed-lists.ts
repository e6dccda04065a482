// The lists the feed importers build (rules/feeds → dist/feeds/lists/<id>.json) as the plain list
// files that manifests in rules/intel point at (dist/feeds/text/<id>.txt). The feed build is the
// one source of those lists: this only runs it when its output is missing and reformats it, so
// the pack never carries a hand-copied list.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { staleFeedBuild } from './feed-build-age.ts'

type ListFile = { list: string; entries: string[] }

/** Returns problems as text; empty when the text lists are in place. */
export function ensureFeedTextLists(root: string): string[] {
  const out = join(root, 'dist/feeds')
  if (!existsSync(join(out, 'report.json'))) {
    console.error('intel: building the feed lists (rules/feeds/build.ts), once per checkout…')
    const build = spawnSync(process.execPath, [join(root, 'feeds/build.ts'), '--out', out], {
      stdio: 'inherit',
    })
    if (build.status !== 0) return [`the feed build failed (exit ${build.status}): see above`]
  } else {
    const stale = staleFeedBuild(out, join(root, 'feeds'))
    if (stale) console.error(stale)
  }
  const text = join(out, 'text')
  mkdirSync(text, { recursive: true })
  for (const name of readdirSync(join(out, 'lists'))) {
    if (!name.endsWith('.json')) continue
    const list = JSON.parse(readFileSync(join(out, 'lists', name), 'utf8')) as ListFile
    writeFileSync(join(text, `${list.list}.txt`), `${list.entries.join('\n')}\n`)
  }
  return []
}
