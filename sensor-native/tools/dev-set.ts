/**
 * The dev set: every capture labelled in EXPECTED.tsv plus the FoxIO JA4 captures (which carry
 * most of the TLS client hellos). Paths are returned relative to the data root, so that they read
 * the same on every machine and can serve as hints in stored oracle files.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const JA4_CAPTURE_DIR = 'PARSERS/ja4/pcap'

export function devSet(dataRoot: string): string[] {
  const labelled = labelledCaptures(readFileSync(join(dataRoot, 'EXPECTED.tsv'), 'utf8'))
  const ja4 = readdirSync(join(dataRoot, JA4_CAPTURE_DIR))
    .filter((name) => /\.pcap(ng)?$/.test(name))
    .map((name) => `${JA4_CAPTURE_DIR}/${name}`)
  return [...new Set([...labelled, ...ja4])].sort()
}

/** The `path` column of EXPECTED.tsv, found by its header so a reordered file still reads. */
export function labelledCaptures(tsv: string): string[] {
  const [header, ...rows] = tsv.split('\n').filter((line) => line.trim() !== '')
  const column = (header ?? '').split('\t').indexOf('path')
  if (column < 0) throw new Error('EXPECTED.tsv has no "path" column')
  return rows.map((row, i) => {
    const path = row.split('\t')[column]
    if (!path) throw new Error(`EXPECTED.tsv row ${i + 2} has no path`)
    return path
  })
}
