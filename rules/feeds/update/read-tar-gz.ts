// The regular files of a gzipped tar archive (POSIX ustar, with GNU long names and pax `path`
// records, as ET Open's emerging.rules.tar.gz and GitHub's repository tarballs are written).
// Feed archives come from the network: names that climb out (`..`, absolute) and archives that
// inflate past a cap are errors, never files written somewhere unexpected.
import { gunzipSync } from 'node:zlib'

export interface TarFile {
  /** Path inside the archive, `/`-separated, no leading `./`. */
  name: string
  data: Uint8Array
}

export type TarResult = { files: TarFile[] } | { error: string }

const BLOCK = 512

function text(bytes: Uint8Array, start: number, length: number): string {
  const slice = bytes.subarray(start, start + length)
  const end = slice.indexOf(0)
  return new TextDecoder().decode(end < 0 ? slice : slice.subarray(0, end))
}

function octal(bytes: Uint8Array, start: number, length: number): number | undefined {
  const field = text(bytes, start, length).trim()
  return /^[0-7]+$/.test(field) ? Number.parseInt(field, 8) : undefined
}

/** The `path` of a pax extended header (`<len> path=<value>\n` records). */
function paxPath(data: Uint8Array): string | undefined {
  const records = new TextDecoder().decode(data)
  let at = 0
  while (at < records.length) {
    const space = records.indexOf(' ', at)
    const length = Number.parseInt(records.slice(at, space), 10)
    if (space < 0 || !Number.isFinite(length) || length <= 0) return undefined
    const record = records.slice(space + 1, at + length - 1)
    if (record.startsWith('path=')) return record.slice(5)
    at += length
  }
  return undefined
}

function safeName(raw: string): string | undefined {
  const name = raw.replace(/^(\.\/)+/, '')
  if (name === '' || name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return undefined
  if (name.split('/').some((part) => part === '..')) return undefined
  return name
}

export function readTarGz(gz: Uint8Array, maxBytes = 1 << 30): TarResult {
  let tar: Uint8Array
  try {
    tar = gunzipSync(gz, { maxOutputLength: maxBytes })
  } catch (err) {
    return { error: `not a gzip archive within ${maxBytes} bytes: ${(err as Error).message}` }
  }
  const files: TarFile[] = []
  let longName: string | undefined
  let at = 0
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK)
    if (header.every((b) => b === 0)) break // end of archive
    const size = octal(header, 124, 12)
    if (size === undefined) return { error: `bad size field in the header at byte ${at}` }
    const type = String.fromCharCode(header[156] ?? 0)
    const dataStart = at + BLOCK
    if (dataStart + size > tar.length)
      return { error: `the entry at byte ${at} runs past the end of the archive` }
    const data = tar.subarray(dataStart, dataStart + size)
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK
    if (type === 'L') {
      longName = text(data, 0, data.length)
      continue
    }
    if (type === 'x') {
      longName = paxPath(data) ?? longName
      continue
    }
    if (type === 'g') continue // pax global header (GitHub writes the commit id there)
    const prefix = text(header, 345, 155)
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100))
    longName = undefined
    if (type !== '0' && type !== '\0') continue // directories, links, devices: not feed data
    const safe = safeName(name)
    if (safe === undefined) return { error: `unsafe member name ${JSON.stringify(name)}` }
    files.push({ name: safe, data })
  }
  return { files }
}
