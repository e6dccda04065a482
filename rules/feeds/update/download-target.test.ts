import { describe, expect, it } from 'vitest'
import type { FeedManifest } from '../pipeline/feed-manifest.ts'
import { downloadTarget } from './download-target.ts'

const manifest = (url: string, paths: string[], extra: Partial<FeedManifest['source']> = {}) =>
  ({ source: { root: 'intel', paths, url, ...extra } }) as FeedManifest

describe('downloadTarget', () => {
  it('maps a direct file onto the snapshot file of the same name', () => {
    expect(
      downloadTarget(
        manifest('https://feodotracker.abuse.ch/downloads/ipblocklist.csv', [
          'abusech/feodo-wizard-projects/ipblocklist.csv',
        ]),
      ),
    ).toEqual({ path: 'abusech/feodo-wizard-projects/ipblocklist.csv' })
  })
  it('takes a .tar.gz only with a layout mapping', () => {
    const url = 'https://rules.emergingthreats.net/open/suricata-7.0.3/emerging.rules.tar.gz'
    const archive = { prefix: 'rules/', into: 'et-open/rules/' }
    expect(downloadTarget(manifest(url, ['et-open/rules'], { archive }))).toEqual({ archive })
    expect(downloadTarget(manifest(url, ['et-open/rules']))).toEqual({
      skip: 'an archive without source.archive (how its layout maps onto the snapshot)',
    })
  })
  it('skips folder pages, web pages and zips with the reason', () => {
    expect(
      downloadTarget(manifest('https://github.com/stamparm/maltrail/tree/master/trails', ['m'])),
    ).toEqual({ skip: 'a repository folder page, not a file (update the snapshot with git)' })
    expect(downloadTarget(manifest('https://x.example/a.zip', ['a']))).toEqual({
      skip: 'a zip archive; its files are taken from the snapshot',
    })
    expect(downloadTarget(manifest('https://x.example/spec.html', ['a']))).toEqual({
      skip: 'a web page, not a data file',
    })
  })
})
