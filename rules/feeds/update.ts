// npm run feeds:update: download every shippable feed from its production URL (conditional
// requests, timeouts) into a cache, fall back to the last download or the shared snapshot per
// feed when that fails, rebuild the feed lists from the result, then the rule pack (whose
// dist/feed-status.json then reports the failed downloads; the edge raises intel.feed for them).
//
//   node rules/feeds/update.ts [--cache DIR] [--out DIR] [--snapshot DIR] [--timeout-ms N] [--offline] [--no-pack]
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { readManifests } from './pipeline/read-manifests.ts'
import { updateFeeds } from './update/update-feeds.ts'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const RULES = resolve(HERE, '..')
const REPO = resolve(RULES, '..')

const { values } = parseArgs({
  options: {
    cache: { type: 'string', default: join(RULES, 'dist/feeds-cache') },
    out: { type: 'string', default: join(RULES, 'dist/feeds') },
    snapshot: { type: 'string', default: resolve(REPO, '../shared/data/intel') },
    'timeout-ms': { type: 'string', default: '30000' },
    offline: { type: 'boolean', default: false },
    'no-pack': { type: 'boolean', default: false },
  },
})
const log = (line: string) => process.stderr.write(`${line}\n`)
const timeoutMs = Number(values['timeout-ms'])
if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
  log(`--timeout-ms must be a positive whole number of milliseconds, not "${values['timeout-ms']}"`)
  process.exit(64)
}

const { manifests, errors: manifestErrors } = readManifests()
if (manifestErrors.length > 0) {
  for (const error of manifestErrors) log(`manifest error: ${error}`)
  process.exit(1)
}

const now = Date.now()
const result = await updateFeeds({
  manifests,
  snapshot: values.snapshot,
  cache: values.cache,
  now,
  timeoutMs,
  offline: values.offline,
  log,
})
for (const update of result.updates)
  log(
    `${update.source.padEnd(12)} ${update.feed}: ${update.detail}${update.error ? ` (${update.error})` : ''}`,
  )

const build = spawnSync(
  process.execPath,
  [join(HERE, 'build.ts'), '--out', values.out, '--intel', result.intel],
  {
    stdio: 'inherit',
  },
)
if (build.status !== 0) {
  log(`feed build failed (exit ${build.status}); ${values.out} keeps the previous build`)
  process.exit(build.status ?? 1)
}
writeFileSync(
  join(values.out, 'download-report.json'),
  `${JSON.stringify({ at: new Date(now).toISOString(), updates: result.updates, failures: result.failures }, null, 2)}\n`,
)
const failed = Object.keys(result.failures)
log(
  `feeds: ${result.updates.filter((u) => u.source === 'downloaded').length} downloaded, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}`,
)

if (!values['no-pack']) {
  const pack = spawnSync(process.execPath, [join(RULES, 'scripts/build-pack.ts')], {
    stdio: 'inherit',
  })
  process.exit(pack.status ?? 1)
}
