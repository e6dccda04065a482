/**
 * The last pack the agent verified and swapped in, kept in the spool directory (`pack.json`), so
 * a restarted agent matches with it from its first packet instead of with the older local plan
 * until its first poll. It was verified before it was saved and is written atomically.
 */
import { join } from 'node:path'
import { readJsonIfExists, writeJsonAtomic } from '../spool/atomic-file.ts'
import type { VerifiedPack } from './verify-pack.ts'

const FILE = 'pack.json'

export function savePack(dir: string, pack: VerifiedPack): void {
  writeJsonAtomic(join(dir, FILE), pack)
}

export function loadSavedPack(
  dir: string,
  report: (problem: string) => void = () => {},
): VerifiedPack | undefined {
  try {
    const saved = readJsonIfExists(join(dir, FILE)) as Partial<VerifiedPack> | undefined
    if (saved === undefined) return undefined
    const { version, hash, plan, tag } = saved
    if (typeof version === 'string' && typeof hash === 'string' && typeof plan === 'string') {
      // Saved by an agent before packs had tags: the hash was its tag.
      return { version, hash, tag: typeof tag === 'string' ? tag : hash, plan }
    }
    report(`${join(dir, FILE)} is not a saved pack; starting with the local plan`)
  } catch (err) {
    report(
      `${join(dir, FILE)} cannot be read (${(err as Error).message}); starting with the local plan`,
    )
  }
  return undefined
}
