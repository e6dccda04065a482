// Captures of the shared data set (../shared/data beside the repo), read in place: several carry
// no licence that allows copying them into the repo.
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url))

export function sharedCapture(path: string): string | undefined {
  const full = `${SHARED_DATA}${path}`
  return existsSync(full) ? full : undefined
}

export function sharedCaptures(folder: string): string[] {
  const dir = `${SHARED_DATA}${folder}`
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => /\.pcap(ng)?$/.test(name))
    .map((name) => `${dir}/${name}`)
}
