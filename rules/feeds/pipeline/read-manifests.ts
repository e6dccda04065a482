// The feed manifests as the build, the download step and the feed status read them: every
// `manifests/*.json` in name order, each validated. Problems come back as data (file and reason),
// so a script can list them all before it stops.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type FeedManifest, validateManifest } from './feed-manifest.ts'

export const MANIFEST_DIR = join(import.meta.dirname, '../manifests')

export function readManifests(dir: string = MANIFEST_DIR): {
  manifests: FeedManifest[]
  errors: string[]
} {
  const manifests: FeedManifest[] = []
  const errors: string[] = []
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    let value: unknown
    try {
      value = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    } catch (err) {
      errors.push(`${file}: not JSON (${(err as Error).message})`)
      continue
    }
    const problems = validateManifest(value, file)
    if (problems.length > 0) errors.push(...problems)
    else manifests.push(value as FeedManifest)
  }
  return { manifests, errors }
}
