/**
 * Delivery classes, in the order the spool gives them up when it is full. Each class is kept in
 * its own chain of segment files, so freeing space means deleting a whole file of the cheapest
 * class, never rewriting one.
 * - `conn`: flow records, the bulk of the volume and the least valuable one by one.
 * - `detail`: protocol events (dns, http, tls, file, smb, …): dropped only when no conn is left.
 * - `evidence`: native intel and signature hits. Never dropped: they are why the sensor exists,
 *   and they are few. When only evidence is left, the spool grows over its cap and says so.
 */
export const CLASSES = ['conn', 'detail', 'evidence'] as const
export type SpoolClass = (typeof CLASSES)[number]

export const DROP_ORDER: readonly SpoolClass[] = ['conn', 'detail']

const EVIDENCE_KINDS = new Set(['intel', 'sig'])

export function classOfKind(kind: string): SpoolClass {
  if (kind === 'conn') return 'conn'
  if (EVIDENCE_KINDS.has(kind)) return 'evidence'
  return 'detail'
}

export function classCode(cls: SpoolClass): number {
  return CLASSES.indexOf(cls)
}

export function classFromCode(code: number): SpoolClass | undefined {
  return CLASSES[code]
}
