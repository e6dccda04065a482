/**
 * Where the tools find the repository, the shared captures and the stored oracle answers.
 * The shared data sits beside the repository (`../shared/data`); SOCBOX_DATA overrides it so that
 * the tools also run on a machine that keeps the captures elsewhere.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const dataRoot = resolve(process.env.SOCBOX_DATA ?? resolve(repoRoot, '../shared/data'))
export const oracleDir = resolve(repoRoot, 'sensor-native/oracle')

/** Why the shared data cannot be used, or undefined when it can. */
export function missingData(root: string = dataRoot): string | undefined {
  if (existsSync(resolve(root, 'EXPECTED.tsv'))) return undefined
  return `the shared captures are not in ${root} (no EXPECTED.tsv); set SOCBOX_DATA to their directory`
}
