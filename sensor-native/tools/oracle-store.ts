/**
 * Stored oracle answers: `sensor-native/oracle/<sha256>.json`, keyed by the capture's bytes so a
 * renamed capture keeps its answers and a changed one gets new ones. The capture's path is only a
 * hint for people. One list item per line keeps files small and diffs readable.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Facts } from './oracle-facts.ts'

export type OracleFile = {
  sha256: string
  capture: string
  tshark: string
  extraction: number
  /** Frames tshark showed in a shape the extraction could not pair up; see tshark-http.ts. */
  problems: string[]
} & Facts

export function oraclePath(dir: string, sha256: string): string {
  return join(dir, `${sha256}.json`)
}

export function readOracle(dir: string, sha256: string): OracleFile | undefined | Error {
  const path = oraclePath(dir, sha256)
  if (!existsSync(path)) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as OracleFile
  } catch (err) {
    return new Error(`${path}: ${(err as Error).message}`)
  }
}

export function isCurrent(
  file: OracleFile | undefined,
  tshark: string,
  extraction: number,
): boolean {
  return file !== undefined && file.tshark === tshark && file.extraction === extraction
}

export function formatOracle(file: OracleFile): string {
  const list = (items: unknown[]) =>
    items.length === 0
      ? '[]'
      : `[\n${items.map((i) => `    ${JSON.stringify(i)}`).join(',\n')}\n  ]`
  const lines = [
    `  "sha256": ${JSON.stringify(file.sha256)}`,
    `  "capture": ${JSON.stringify(file.capture)}`,
    `  "tshark": ${JSON.stringify(file.tshark)}`,
    `  "extraction": ${file.extraction}`,
    `  "problems": ${list(file.problems)}`,
    `  "dns": ${list(file.dns)}`,
    `  "tls": ${list(file.tls)}`,
    `  "http": ${list(file.http)}`,
    `  "flows": ${JSON.stringify(file.flows)}`,
  ]
  return `{\n${lines.join(',\n')}\n}\n`
}

export function writeOracle(dir: string, file: OracleFile): void {
  writeFileSync(oraclePath(dir, file.sha256), formatOracle(file))
}
