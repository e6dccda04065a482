import { THREAT_CLASS_IDS } from '@socbox/dsl'

// Threat class ids of the service (shared/design/service-terms.md). Everything a feed lists must
// land in one of these or in an `info.*` class; no other class may appear in a list.
// The list itself is the language's, so a feed can never name a class the rules cannot.
export const THREAT_CLASSES = THREAT_CLASS_IDS

export type ThreatClass = (typeof THREAT_CLASSES)[number]

export function isListClass(cls: string): boolean {
  return (
    (THREAT_CLASSES as readonly string[]).includes(cls) ||
    /^info\.[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(cls)
  )
}
