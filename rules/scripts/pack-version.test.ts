// The built pack's version follows every part of its content: rules and plan, and also the site
// variable declarations and policies, which only the edge runs.
import { readFileSync } from 'node:fs'
import { compilePack, intelListsFrom, packTag, type RulePack } from '@socbox/dsl'
import { describe, expect, it } from 'vitest'
import { builtPackVersion } from './pack-version.ts'

const rule = `detection "SB-TEST-0001" version 1 {
  title { en "Lookup of {query}" ja "{query} の名前解決" }
  class "suspicious.tor" severity medium
  on dns where not src.ip in $domain_controllers
}`
const site = (doc: string) =>
  `variable $domain_controllers cidrs [] { en "${doc}" ja "ドメインコントローラー" }`
const policy = (route: string) => `policy "default" version 1 {
  route ${route} when severity >= high
}`

function packOf(siteText: string, policyText: string): RulePack {
  const { pack, diagnostics } = compilePack(
    [
      { path: 'r.soc', text: rule },
      { path: 'policies/site.soc', text: siteText },
      { path: 'policies/default.soc', text: policyText },
    ],
    intelListsFrom([]),
  )
  expect(diagnostics).toEqual([])
  if (!pack) throw new Error('no pack')
  return pack
}

describe('builtPackVersion', () => {
  it('changes with a policy-only edit and with a site variable declaration edit', () => {
    const base = packOf(site('Domain controllers'), policy('immediate'))
    const policyEdit = packOf(site('Domain controllers'), policy('pager'))
    const declarationEdit = packOf(site('The domain controllers'), policy('immediate'))
    const versions = [base, policyEdit, declarationEdit].map((p) => builtPackVersion('0.1.0', p))
    expect(new Set(versions).size).toBe(3)
    expect(policyEdit.hash).toBe(base.hash)
    expect(declarationEdit.hash).toBe(base.hash)
    expect(versions[0]).toBe(`0.1.0+${base.hash.slice(0, 12)}.${base.policyHash?.slice(0, 8)}`)
    expect(packTag(policyEdit)).not.toBe(packTag(base))
  })

  it('is the version of the built pack', () => {
    const built = JSON.parse(
      readFileSync(new URL('../dist/pack.json', import.meta.url), 'utf8'),
    ) as RulePack
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    expect(built.policyHash).toMatch(/^[0-9a-f]{64}$/)
    expect(built.version).toBe(builtPackVersion(pkg.version, built))
  })
})
