// Intel lists as the compiler sees them: an id the rules reference, the IOC kind the sensor
// matches, the entries, and where they came from (shipped packs must carry source and licence).
import type { IocKind } from '../runtime/types.ts'

export type IntelList = {
  id: string
  ioc: IocKind
  entries: string[]
  source?: string
  licence?: string
}

/** Where the compiler looks lists up; a folder loader or a plain array (intelListsFrom). */
export interface IntelListSource {
  get(id: string): IntelList | undefined
}

export function intelListsFrom(lists: IntelList[]): IntelListSource {
  const byId = new Map(lists.map((list) => [list.id, list]))
  return { get: (id) => byId.get(id) }
}

/**
 * Entries of a list file in Maltrail's format: one per line, `#` starts a comment. Domains are
 * lower-cased and lose a trailing dot, matching how the sensor writes `query`.
 */
export function parseListText(text: string, ioc: IocKind): string[] {
  const entries = new Set<string>()
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim()
    if (!line) continue
    entries.add(ioc === 'domain' ? line.toLowerCase().replace(/\.$/, '') : line)
  }
  return [...entries]
}
