import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compilePack, intelListsFrom } from '@socbox/dsl'
import { describe, expect, it } from 'vitest'
import { runGeneratedCases, sampleEntries, sampleUrlEntries } from './generated-cases.ts'

const RULE = `detection "SB-TEST-0001" version 1 {
  title { en "t {query}" ja "t {query}" }
  class "site.redirector" severity low status experimental attack [T1189]
  on dns where query in intel("site.redirector.domain")
}`

describe('generated cases', () => {
  it('samples plain domain entries spread over the list', () => {
    const entries = ['a.example', 'b.example', '*bad*', 'c.example', 'd.example']
    expect(sampleEntries(entries, 2)).toEqual(['a.example', 'c.example'])
  })

  it('counts the sampled entries that raise an alert of the list class', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socbox-generated-'))
    const listed = ['tds-one.example', 'tds-two.example']
    writeFileSync(
      join(dir, 'site.redirector.domain.json'),
      JSON.stringify({ class: 'site.redirector', entries: listed }),
    )
    // The pack's list holds one of the two entries: the other must count as missed.
    const { pack } = compilePack(
      [{ path: 't.soc', text: RULE }],
      intelListsFrom([
        { id: 'site.redirector.domain', ioc: 'domain', entries: ['tds-one.example'] },
      ]),
    )
    if (!pack) throw new Error('test pack did not compile')
    expect(runGeneratedCases(pack, dir)).toEqual([
      { class: 'site.redirector', list: 'site.redirector.domain', entries: 2, detected: 1 },
    ])
  })

  it('requests sampled URL entries, path-only ones on an unlisted host', () => {
    expect(sampleUrlEntries(['a', 'b', 'c', 'd'], 2)).toEqual(['a', 'c'])
    const dir = mkdtempSync(join(tmpdir(), 'socbox-generated-'))
    writeFileSync(
      join(dir, 'site.compromised.url.json'),
      JSON.stringify({
        class: 'site.compromised',
        entries: ['/0day.vbs', 'hacked.example/js/skim.js', 'other.example/x.php'],
      }),
    )
    const urlRule = `detection "SB-TEST-0002" version 1 {
  title { en "t" ja "t" }
  class "site.compromised" severity low status experimental attack [T1189]
  on http where uri in intel("site.compromised.url")
}`
    const { pack } = compilePack(
      [{ path: 'u.soc', text: urlRule }],
      intelListsFrom([
        {
          id: 'site.compromised.url',
          ioc: 'url',
          entries: ['/0day.vbs', 'hacked.example/js/skim.js'],
        },
      ]),
    )
    if (!pack) throw new Error('test pack did not compile')
    expect(runGeneratedCases(pack, dir)).toEqual([
      { class: 'site.compromised', list: 'site.compromised.url', entries: 3, detected: 2 },
    ])
  })
})
