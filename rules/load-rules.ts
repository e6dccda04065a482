// This package's rule files and intel lists, as the build and the tests see them.
import { fileURLToPath } from 'node:url'
import { findRuleFiles, loadIntelFolder } from '@socbox/dsl/node'

export const RULES_ROOT = fileURLToPath(new URL('.', import.meta.url))

export function loadRules() {
  const intel = loadIntelFolder(`${RULES_ROOT}intel`)
  const files = findRuleFiles(RULES_ROOT, RULES_ROOT)
  return { files, intel }
}
