import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compileRules } from '../pack/compile-rules.ts'
import { displayWidth, formatSource } from './format-source.ts'

const format = (text: string) => formatSource({ path: 'x.soc', text }).text
const ir = (text: string) =>
  compileRules([{ path: 'x.soc', text }], undefined).rules.map((r) => r.ir)

const messy = `// leading comment
detection   "SB-T-0001"   version 1 {
 title{en "x {query}"
   ja "エックス"}   severity    high // why high
 class "info.x"
 attack ["T1090", T1071.001]
  on dns where (query == "a" or query matches /^b+$/i) and not src.ip in [10.0.0.0/8, "fc00::/7"] and src.port >= 1024 and lower(query) != "zzzzzzzzzzzzzzzz"
 // about the key
 emit key [ src.ip,query ]
 test "t" { given dns { query "a" answers ["1.2.3.4"] src.ip 192.0.2.1 } given dns { } expect 1 }
}
detection "SB-T-0002" version 2 { title { en "y" } class "info.y" severity low on intel where exists(list) }
`

describe('formatSource', () => {
  const once = format(messy) ?? ''

  it('lays out a rule in the one layout, keeping comments', () => {
    expect(once).toBe(`// leading comment
detection "SB-T-0001" version 1 {
  title { en "x {query}" ja "エックス" }
  severity high // why high
  class "info.x"
  attack [T1090, T1071.001]

  on dns
  where (query == "a" or query matches /^b+$/i)
    and not src.ip in [10.0.0.0/8, "fc00::/7"]
    and src.port >= 1024
    and lower(query) != "zzzzzzzzzzzzzzzz"
  // about the key
  emit key [src.ip, query]

  test "t" {
    given dns { query "a" answers ["1.2.3.4"] src.ip 192.0.2.1 }
    given dns { }
    expect 1
  }
}

detection "SB-T-0002" version 2 {
  title { en "y" }
  class "info.y"
  severity low

  on intel where exists(list)
}
`)
  })

  it('is idempotent', () => {
    expect(format(once)).toBe(once)
  })

  it('keeps the meaning: the IR is the same before and after', () => {
    expect(ir(once)).toEqual(ir(messy))
    expect(ir(once)).toHaveLength(2)
  })

  it('leaves the shipped rules as they are', () => {
    const text = readFileSync(new URL('../../../rules/tor/tor2web.soc', import.meta.url), 'utf8')
    expect(format(text)).toBe(text)
  })

  it('writes multi-line text as an indented block that reads back the same', () => {
    const text = format('detection "SB-T-0001" version 1 { explain { en "one\\n  two" } }') ?? ''
    expect(text).toContain('  explain {\n    en """\n      one\n        two\n      """\n  }')
    expect(ir(text)).toEqual(ir('detection "SB-T-0001" version 1 { explain { en "one\\n  two" } }'))
  })

  it('returns diagnostics instead of text for a file that does not parse', () => {
    const result = formatSource({ path: 'x.soc', text: 'detection "X" {' })
    expect(result.text).toBeUndefined()
    expect(result.diagnostics[0]?.line).toBe(1)
  })

  it('lays out correlations and timed fixtures, idempotently and without changing the IR', () => {
    const source = `correlation "SB-T-0003" version 1 { title { en "{count} from {src.ip}" } class "recon.scan" severity low
 on conn where state in [S0, REJ] group by src.ip,lower(app) window sliding 60000ms lateness 5s
 when distinct(dst.port) > 100 and count >= 200 limits { groups 100 distinct 50 }
 test "scan" { at 0s repeat 120 every 100ms given conn { src.ip 10.0.0.5 dst.port "{i}" state "S0" } at 30s given conn { } expect 1 } }
`
    const text = format(source) ?? ''
    expect(text).toBe(`correlation "SB-T-0003" version 1 {
  title { en "{count} from {src.ip}" }
  class "recon.scan"
  severity low

  on conn where state in [S0, REJ]
  group by src.ip, lower(app)
  window sliding 1m
  lateness 5s
  when distinct(dst.port) > 100 and count >= 200
  limits { groups 100 distinct 50 }

  test "scan" {
    at 0s repeat 120 every 100ms given conn { src.ip 10.0.0.5 dst.port "{i}" state "S0" }
    at 30s given conn { }
    expect 1
  }
}
`)
    expect(format(text)).toBe(text)
    expect(ir(text)).toEqual(ir(source))
  })

  it('lays out sequences, idempotently and without changing the IR', () => {
    const source = `sequence "SB-T-0004" version 1 { title { en "{dl.host}" } class "download.malware" severity high within 10m
 step dl on http where ends_with(lower(uri), ".exe") by src.ip absent av on dns where query == "av.example" by src.ip
 step c2 on conn by src.ip until on dns where query == "isolated.example" by src.ip }`
    const text = format(source) ?? ''
    expect(text).toBe(`sequence "SB-T-0004" version 1 {
  title { en "{dl.host}" }
  class "download.malware"
  severity high

  within 10m
  step dl on http where ends_with(lower(uri), ".exe") by src.ip
  absent av on dns where query == "av.example" by src.ip
  step c2 on conn by src.ip
  until on dns where query == "isolated.example" by src.ip
}
`)
    expect(format(text)).toBe(text)
    expect(ir(text)).toEqual(ir(source))
    expect(ir(text)).toHaveLength(1)
  })

  it('lays out site variables and policies, idempotently and without changing the IR', () => {
    const policies = (text: string) => {
      const compiled = compileRules([{ path: 'x.soc', text }], undefined)
      return { policies: compiled.policies.map((p) => p.ir), variables: compiled.variables }
    }
    const source = `variable $scanners   cidrs [10.9.0.0/24]   { en "Scanners" ja "スキャナー" }
variable $x strings []
policy "default" version 2 { title { en "Default" ja "既定" } raise severity to high when dst.ip in $scanners
 lower severity by 1 when class == "recon.scan"
 except "lab" owner "netops@example.jp" reason "sanctioned scanners in the lab network" expires 2027-03-31 when class == "recon.scan" and src.ip in $scanners
 dedup 10m by src.ip when class == "recon.scan" dedup 24h rate 5 per 1h route immediate , digest when severity >= high
 test "t" { at 0s given alert { severity high } at 1m given alert { severity high } expect stored 1 route [immediate, digest] } }`
    const text = format(source) ?? ''
    expect(text).toBe(`variable $scanners cidrs [10.9.0.0/24] { en "Scanners" ja "スキャナー" }
variable $x strings []

policy "default" version 2 {
  title { en "Default" ja "既定" }

  raise severity to high when dst.ip in $scanners
  lower severity by 1 when class == "recon.scan"

  except "lab" owner "netops@example.jp" reason "sanctioned scanners in the lab network" expires 2027-03-31
    when class == "recon.scan"
      and src.ip in $scanners

  dedup 10m by src.ip when class == "recon.scan"
  dedup 1d

  rate 5 per 1h

  route immediate, digest when severity >= high

  test "t" {
    at 0s given alert { severity high }
    at 1m given alert { severity high }
    expect stored 1 route [immediate, digest]
  }
}
`)
    expect(format(text)).toBe(text)
    expect(policies(text)).toEqual(policies(source))
    expect(policies(text).policies).toHaveLength(1)
  })

  it('leaves the shipped policies as they are', () => {
    const text = readFileSync(
      new URL('../../../rules/policies/default.soc', import.meta.url),
      'utf8',
    )
    expect(format(text)).toBe(text)
  })

  it('counts Japanese characters as two columns', () => {
    expect(displayWidth('aエ')).toBe(3)
  })
})
