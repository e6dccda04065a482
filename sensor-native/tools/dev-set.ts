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
  return column(tsv, 'path')
}

/** Each labelled capture's class (RECON, C2, BENIGN…), by path. */
export function captureClasses(tsv: string): Map<string, string> {
  const classes = column(tsv, 'class')
  return new Map(column(tsv, 'path').map((path, i) => [path, classes[i] as string]))
}

function column(tsv: string, name: string): string[] {
  const [header, ...rows] = tsv.split('\n').filter((line) => line.trim() !== '')
  const at = (header ?? '').split('\t').indexOf(name)
  if (at < 0) throw new Error(`EXPECTED.tsv has no "${name}" column`)
  return rows.map((row, i) => {
    const value = row.split('\t')[at]
    if (!value) throw new Error(`EXPECTED.tsv row ${i + 2} has no ${name}`)
    return value
  })
}
