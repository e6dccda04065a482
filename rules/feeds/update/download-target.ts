// Which snapshot file a manifest's production URL replaces: a direct file download, or a
// `.tar.gz` whose layout the manifest maps onto the snapshot's (`source.archive`). A GitHub
// folder page, a specification page, a zip or an unmapped archive keep using the snapshot, with
// the reason reported.
import type { FeedManifest } from '../pipeline/feed-manifest.ts'

export type DownloadTarget =
  | { path: string }
  | { archive: { prefix: string; into: string } }
  | { skip: string }

export function downloadTarget(manifest: FeedManifest): DownloadTarget {
  const { url, paths, root } = manifest.source
  if (root !== 'intel') return { skip: 'a file of this repository, not downloaded' }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { skip: `not a URL: ${url}` }
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { skip: `not HTTP(S): ${url}` }
  if (parsed.hostname === 'github.com' && parsed.pathname.includes('/tree/'))
    return { skip: 'a repository folder page, not a file (update the snapshot with git)' }
  if (/\.(html?)$/i.test(parsed.pathname)) return { skip: 'a web page, not a data file' }
  if (/\.(tar\.gz|tgz)$/i.test(parsed.pathname)) {
    const archive = manifest.source.archive
    return archive
      ? { archive }
      : { skip: 'an archive without source.archive (how its layout maps onto the snapshot)' }
  }
  if (/\.zip$/i.test(parsed.pathname))
    return { skip: 'a zip archive; its files are taken from the snapshot' }
  const base = parsed.pathname.split('/').pop() ?? ''
  const byName = paths.find((p) => p.split('/').pop() === base)
  if (byName) return { path: byName }
  if (paths.length === 1 && /\.[a-z0-9]{2,5}$/i.test(paths[0] ?? ''))
    return { path: paths[0] as string }
  return { skip: `no snapshot file matches ${base}` }
}
