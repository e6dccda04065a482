// Builds rules/dist/pack.json from every rule file and intel manifest in this package. Run by
// `npm run build -w @socbox/rules` and by the root `prepare`, so it must work from a fresh clone.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { compilePack, formatDiagnostic, type SourceSignature, signatureSetsFrom } from '@socbox/dsl'
import { writeFeedStatus } from '../feeds/health/write-feed-status.ts'
import { loadRules } from '../load-rules.ts'
import { ensureFeedTextLists } from './feed-lists.ts'
import { builtPackVersion } from './pack-version.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }

// Manifests in intel/ may point at lists of the feed build (dist/feeds/text): make them first.
const feedProblems = ensureFeedTextLists(root)
for (const problem of feedProblems) console.error(problem)
if (feedProblems.length > 0) process.exit(1)

const { files, intel } = loadRules()
// Content signature sets (`signatures("et-open")`) come from the same feed build.
const content = JSON.parse(readFileSync(`${root}dist/feeds/content.json`, 'utf8')) as {
  signatures: SourceSignature[]
}
const { pack, diagnostics } = compilePack(files, intel.lists, {
  version: 'pending',
  signatures: signatureSetsFrom(content.signatures),
})

for (const problem of intel.problems) console.error(problem)
for (const diagnostic of diagnostics) console.error(formatDiagnostic(diagnostic))
if (!pack || intel.problems.length > 0) {
  console.error(`rule pack not built: ${diagnostics.length + intel.problems.length} problem(s)`)
  process.exit(1)
}

pack.version = builtPackVersion(pkg.version, pack)
mkdirSync(`${root}dist`, { recursive: true })
writeFileSync(`${root}dist/pack.json`, `${JSON.stringify(pack)}\n`)
// The Worker evaluates hit tags and sig events, never the lists or signatures themselves: its
// copy leaves entries and content out (same version and hash, so it names the same pack), which
// keeps megabytes out of the bundle.
const edgePack = {
  ...pack,
  plan: { ...pack.plan, intel: pack.plan.intel.map((l) => ({ ...l, entries: [] })), content: [] },
}
writeFileSync(`${root}dist/pack-edge.json`, `${JSON.stringify(edgePack)}\n`)
// The feeds behind the lists, for the edge's `intel.feed` health alerts (edge/src/feeds).
const feedStatus = writeFeedStatus(root)
const entries = pack.plan.intel.reduce((sum, list) => sum + list.entries.length, 0)
console.error(
  `rule pack ${pack.version}: ${pack.rules.length} rule(s), ${pack.plan.intel.length} intel list(s) with ${entries} entries, ${pack.plan.content.length} content signature(s) → dist/pack.json; ${feedStatus.schedules.length} feed(s) → dist/feed-status.json`,
)
