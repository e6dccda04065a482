// Builds the intel part of the default pack:
//   npx node rules/feeds/build.ts --out DIR [--intel DIR] [--now ISO] [--all] [--origins] [--accept-shrink LIST]…
// Loads every feed manifest, imports the shippable feeds (all feeds with --all, for evaluation
// only), merges lists with provenance, applies policy.json (IP agreement, shrink guard) and writes:
//   DIR/lists/<list>.json   {list, ioc, class, entries, provenance, licence, ports?}
//   DIR/match-plan.json     match plan v1 (dsl/schema/README.md) of all lists
//   DIR/content.json        translated ET content signatures (proposal, see README.md)
//   DIR/report.json         counts per feed and list, rejected lines, untranslated rules, health
//   DIR/rejected-lines.json, DIR/untranslated-rules.json: every line/rule with its reason
//   DIR/origins/<list>.json {entry: ["feed:file:line", …]} with --origins
// A shrink refused by the guard leaves DIR untouched and exits 2.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { Allowlist } from './lists/allowlist.ts'
import type { PreviousList } from './lists/carry-forward.ts'
import { buildPack, contributionsOf, type PackPolicy } from './pipeline/build-pack.ts'
import { type FailedFeed, type LoadedFeed, loadFeed } from './pipeline/load-feed.ts'
import { readManifests } from './pipeline/read-manifests.ts'

const HERE = dirname(fileURLToPath(import.meta.url))
const REPO = resolve(HERE, '../..')

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    intel: { type: 'string', default: resolve(REPO, '../shared/data/intel') },
    now: { type: 'string' },
    all: { type: 'boolean', default: false },
    origins: { type: 'boolean', default: false },
    'accept-shrink': { type: 'string', multiple: true, default: [] },
  },
})
if (!values.out) {
  process.stderr.write(
    'usage: node rules/feeds/build.ts --out DIR [--intel DIR] [--now ISO] [--all] [--origins] [--accept-shrink LIST]…\n',
  )
  process.exit(64)
}
const out = resolve(values.out)
const now = values.now ? Date.parse(values.now) : Date.now()
const log = (line: string) => process.stderr.write(`${line}\n`)
const started = performance.now()

const { manifests, errors: manifestErrors } = readManifests()
if (manifestErrors.length > 0) {
  for (const error of manifestErrors) log(`manifest error: ${error}`)
  process.exit(1)
}
const policy: PackPolicy = JSON.parse(readFileSync(join(HERE, 'policy.json'), 'utf8'))
const allowlist: Allowlist = JSON.parse(readFileSync(join(HERE, 'allowlist.json'), 'utf8'))

const feeds: (LoadedFeed | FailedFeed)[] = []
for (const manifest of manifests) {
  const use = manifest.licence.shippable || values.all
  if (!use) {
    log(
      `skip    ${manifest.id}: not shippable (${manifest.licence.spdx}: ${manifest.licence.reason})`,
    )
    continue
  }
  const feed = loadFeed(manifest, { intel: values.intel, repo: REPO }, now)
  feeds.push(feed)
  if ('error' in feed) log(`FAILED  ${manifest.id}: ${feed.error}`)
  else
    log(
      `loaded  ${manifest.id}: ${feed.files} files, ${feed.indicators.length} indicators, ${feed.errors.length} rejected lines${manifest.format === 'suricata-rules' ? `, ${feed.signatures.length} signatures, ${feed.untranslated.length} untranslated rules` : ''} (${Math.round(feed.loadMs)} ms)`,
    )
}
const loadMs = performance.now() - started

let previousCounts: Map<string, number> | undefined
const previousReport = join(out, 'report.json')
if (existsSync(previousReport)) {
  const previous = JSON.parse(readFileSync(previousReport, 'utf8')) as {
    lists: Record<string, number>
  }
  previousCounts = new Map(Object.entries(previous.lists))
}
// Only a failed feed needs the previous lists (its entries are carried forward).
let previousLists: PreviousList[] | undefined
if (previousCounts && feeds.some((f) => 'error' in f)) {
  const dir = join(out, 'lists')
  previousLists = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
}
const buildStarted = performance.now()
const pack = buildPack({
  feeds,
  policy,
  now,
  previousCounts,
  previousLists,
  acceptShrink: values['accept-shrink'],
  includeUnshippable: values.all,
  withOrigins: values.origins,
  allowlist,
})
const buildMs = performance.now() - buildStarted

for (const invalid of pack.invalidLists)
  log(`INVALID ${invalid.list} (${invalid.entries} entries): ${invalid.reason}`)
if (pack.invalidLists.length > 0) process.exitCode = 1
if (pack.refusals.length > 0) {
  for (const refusal of pack.refusals) log(`REFUSED ${refusal.message}`)
  log(`update refused; ${out} keeps the previous build`)
  process.exit(2)
}

const writeStarted = performance.now()
const staging = `${out}.staging-${process.pid}`
mkdirSync(join(staging, 'lists'), { recursive: true })
const json = (value: unknown) => `${JSON.stringify(value)}\n`
for (const list of pack.lists)
  writeFileSync(join(staging, 'lists', `${list.list}.json`), json(list))
if (pack.origins) {
  mkdirSync(join(staging, 'origins'))
  for (const [list, origins] of Object.entries(pack.origins)) {
    writeFileSync(join(staging, 'origins', `${list}.json`), json(origins))
  }
}
writeFileSync(
  join(staging, 'match-plan.json'),
  json({
    v: 1,
    intel: pack.lists.map((l) => ({ list: l.list, ioc: l.ioc, entries: l.entries })),
    content: [],
  }),
)
writeFileSync(
  join(staging, 'content.json'),
  json({ proposal: 'content-signature/v0', signatures: pack.signatures }),
)
const loaded = feeds.filter((f): f is LoadedFeed => !('error' in f))
writeFileSync(join(staging, 'rejected-lines.json'), json(loaded.flatMap((f) => f.errors)))
writeFileSync(
  join(staging, 'untranslated-rules.json'),
  json(loaded.flatMap((f) => [...f.untranslated, ...f.unlicensed])),
)
const listCounts = Object.fromEntries(pack.lists.map((l) => [l.list, l.entries.length]))
const report = {
  builtAt: new Date(now).toISOString(),
  evaluationOnly: values.all,
  lists: listCounts,
  contributions: contributionsOf(pack.lists),
  removedBySanity: pack.removedBySanity,
  removedByAllowlist: pack.removedByAllowlist,
  heldBackByAgreement: Object.fromEntries(
    Object.entries(pack.heldBack).map(([list, held]) => [list, held.length]),
  ),
  signatures: pack.signatures.length,
  feeds: pack.feeds,
  health: pack.health,
  timingsMs: { load: Math.round(loadMs), build: Math.round(buildMs), write: 0, total: 0 },
}
report.timingsMs.write = Math.round(performance.now() - writeStarted)
report.timingsMs.total = Math.round(performance.now() - started)
writeFileSync(join(staging, 'report.json'), json(report))
// Replace the previous build only once the new one is complete.
if (existsSync(out)) {
  if (!existsSync(previousReport)) {
    log(
      `${out} exists and is not a previous build (no report.json); not replacing it; output left in ${staging}`,
    )
    process.exit(1)
  }
  rmSync(out, { recursive: true })
}
renameSync(staging, out)

log('')
log('entries per list:')
for (const list of pack.lists) log(`  ${String(list.entries.length).padStart(7)}  ${list.list}`)
for (const [list, removed] of Object.entries(pack.removedBySanity)) {
  log(`sanity removed from ${list}: ${removed.map((r) => `${r.value} (${r.reason})`).join(', ')}`)
}
for (const [list, removed] of Object.entries(pack.removedByAllowlist)) {
  log(
    `allowlist removed from ${list}: ${removed.map((r) => `${r.value} (covers ${r.covers}; ${r.feeds.join(', ')})`).join(', ')}`,
  )
}
for (const [list, held] of Object.entries(pack.heldBack))
  log(`held back by agreement policy: ${held.length} of ${list} → info.unconfirmed.${list}`)
for (const finding of pack.health)
  log(`health  [${finding.severity}] ${finding.title}: ${finding.detail}`)
const total = pack.lists.reduce((n, l) => n + l.entries.length, 0)
log(`${pack.lists.length} lists, ${total} entries, ${pack.signatures.length} content signatures`)
log(
  `load ${report.timingsMs.load} ms, build ${report.timingsMs.build} ms, write ${report.timingsMs.write} ms, total ${report.timingsMs.total} ms → ${out}`,
)
