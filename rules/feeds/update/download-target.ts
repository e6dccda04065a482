// Which snapshot file a manifest's production URL replaces. Only direct file downloads are
// fetched; a GitHub folder page (Maltrail's trails), a specification page or an archive whose
// layout differs from the snapshot keep using the snapshot, with the reason reported.
import type { FeedManifest } from '../pipeline/feed-manifest.ts'

export type DownloadTarget = { path: string } | { skip: string }

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
  if (/\.(tar\.gz|tgz|zip)$/i.test(parsed.pathname))
    return { skip: 'an archive; its files are taken from the snapshot' }
  const base = parsed.pathname.split('/').pop() ?? ''
  const byName = paths.find((p) => p.split('/').pop() === base)
  if (byName) return { path: byName }
  if (paths.length === 1 && /\.[a-z0-9]{2,5}$/i.test(paths[0] ?? ''))
    return { path: paths[0] as string }
  return { skip: `no snapshot file matches ${base}` }
}
