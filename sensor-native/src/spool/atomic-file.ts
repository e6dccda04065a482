/**
 * Small state files (ack cursor, commit point, boot table) replaced atomically: write a
 * temporary file, fsync it, rename it over the old one, fsync the directory. A crash leaves
 * either the old or the new content, never a mix.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp`
  const fd = openSync(tmp, 'w')
  try {
    writeSync(fd, `${JSON.stringify(value)}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, path)
  syncDirectory(dirname(path))
}

export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** The parsed file, or undefined when it does not exist. Unreadable JSON is an error. */
export function readJsonIfExists(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new Error(`${path} is damaged (${(err as Error).message}); move it away to start over`)
  }
}
