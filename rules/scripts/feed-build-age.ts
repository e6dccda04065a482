// The feed build (dist/feeds) is made once per checkout: a later change to the importers in
// rules/feeds (say, a keyword the ET translation now keeps) reaches the pack only when it is made
// again. It is not remade on its own, as `npm run feeds:update` may have filled it with fresh
// downloads that a rebuild from the shared snapshot would replace; a stale one is named instead.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Newest modification time (ms) of the feed importers' sources under `dir`, tests left out. */
export function newestSourceMs(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(path))
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/** A warning when the feed build in `out` is older than the importers in `feedsDir`, else none. */
export function staleFeedBuild(out: string, feedsDir: string): string | undefined {
  const built = statSync(join(out, 'report.json')).mtimeMs
  if (newestSourceMs(feedsDir) <= built) return undefined
  return (
    `intel: ${out} was built before the last change to rules/feeds, so the pack may lack what ` +
    'the importers now produce: rebuild it with `rm -rf rules/dist/feeds && npm run build -w ' +
    '@socbox/rules`, or refresh it with `npm run feeds:update`'
  )
}
