// '@socbox/dsl/node': file-system helpers for the build and the CLI (never bundled into a Worker).
export { findRuleFiles } from './find-rule-files.ts'
export type { IntelManifest } from './load-intel-folder.ts'
export { loadIntelFolder } from './load-intel-folder.ts'
