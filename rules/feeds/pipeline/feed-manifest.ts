// A feed manifest (manifests/*.json) says where a feed comes from, how to read it, how often it
// should change, and under which licence: whether the default pack may ship it, and why.
import type { Ioc } from '../model/indicator.ts'
import { IOC_KINDS } from '../model/indicator.ts'

export const FEED_FORMATS = [
  'maltrail-trails',
  'maltrail-trails-csv',
  'line-list',
  'sslbl-certificates-csv',
  'sslbl-ja3-csv',
  'feodo-csv',
  'suricata-rules',
  'stix-bundle',
  'disconnect-services',
] as const

export type FeedFormat = (typeof FEED_FORMATS)[number]

export interface FeedManifest {
  id: string
  title: string
  /** Who produces the data; agreement between feeds counts distinct upstreams. */
  upstream: string
  format: FeedFormat
  source: {
    /** `intel`: relative to shared/data/intel; `repo`: relative to the repository root. */
    root: 'intel' | 'repo'
    /** Files or folders; folders are read recursively (`.txt`, `.rules`, `.json` by format). */
    paths: string[]
    /** Where production fetches it. */
    url: string
    /** File holding the publication time, when the data files do not say it. */
    timeFile?: string
    /**
     * When `url` is a `.tar.gz`: its members under `prefix` are the snapshot's files under
     * `into` (`rules/` → `et-open/rules/`); only those under `paths` are taken.
     */
    archive?: { prefix: string; into: string }
    /** Further files of the feed that production fetches from their own URLs: path → URL. */
    moreUrls?: Record<string, string>
  }
  licence: {
    /** SPDX id, or `LicenseRef-…` with `text`. For ET, the licence is decided per sid. */
    spdx: string
    text: string
    shippable: boolean
    reason: string
    /** Only translated content under these licences ships (ET: BSD sids, not GPL ones). */
    shipOnly?: string[]
  }
  updateIntervalHours: number
  staleAfterHours?: number
  /** Format options: ioc/class/label for line lists, class for STIX, licence mode for rules. */
  options?: { ioc?: Ioc; class?: string; label?: string; ruleLicence?: string }
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

/** Validation errors of one manifest (empty when valid). */
export function validateManifest(value: unknown, file: string): string[] {
  const errors: string[] = []
  const m = value as Partial<FeedManifest> | null
  const at = (field: string, message: string) => errors.push(`${file}: ${field} ${message}`)
  if (typeof m !== 'object' || m === null) return [`${file}: not an object`]
  if (!isString(m.id) || !/^[a-z0-9-]+$/.test(m.id))
    at('id', 'must be lowercase letters, digits and dashes')
  if (!isString(m.title)) at('title', 'is required')
  if (!isString(m.upstream)) at('upstream', 'is required')
  if (!FEED_FORMATS.includes(m.format as FeedFormat))
    at('format', `must be one of ${FEED_FORMATS.join(', ')}`)
  const source = m.source
  if (!source || (source.root !== 'intel' && source.root !== 'repo'))
    at('source.root', 'must be "intel" or "repo"')
  if (
    !source ||
    !Array.isArray(source.paths) ||
    source.paths.length === 0 ||
    !source.paths.every(isString)
  )
    at('source.paths', 'must list at least one path')
  if (!source || !isString(source.url)) at('source.url', 'is required (production location)')
  if (
    source?.archive !== undefined &&
    (!isString(source.archive?.prefix) ||
      !isString(source.archive?.into) ||
      !/\.(tar\.gz|tgz)$/i.test(String(source.url)))
  )
    at('source.archive', 'needs prefix and into, and a .tar.gz url')
  if (
    source?.moreUrls !== undefined &&
    (typeof source.moreUrls !== 'object' ||
      source.moreUrls === null ||
      !Object.entries(source.moreUrls).every(
        ([path, url]) =>
          isString(url) && Array.isArray(source.paths) && source.paths.includes(path),
      ))
  )
    at('source.moreUrls', 'maps paths of source.paths to URLs')
  const licence = m.licence
  if (!licence || !isString(licence.spdx)) at('licence.spdx', 'is required')
  if (!licence || !isString(licence.text)) at('licence.text', 'is required')
  if (!licence || typeof licence.shippable !== 'boolean')
    at('licence.shippable', 'must be true or false')
  if (!licence || !isString(licence.reason))
    at('licence.reason', 'must say why the feed is (not) shippable')
  if (typeof m.updateIntervalHours !== 'number' || m.updateIntervalHours <= 0)
    at('updateIntervalHours', 'must be a positive number')
  if (
    m.format === 'line-list' &&
    (!m.options?.ioc || !IOC_KINDS.includes(m.options.ioc) || !isString(m.options.class))
  ) {
    at('options', 'of a line-list need ioc and class')
  }
  if (m.format === 'suricata-rules' && !isString(m.options?.ruleLicence))
    at('options.ruleLicence', 'is required ("et-sid" or an SPDX id)')
  if (m.format === 'stix-bundle' && !isString(m.options?.class))
    at('options.class', 'is required (default class)')
  return errors
}
