import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { INTEL } from '../testing/shared-data.ts'
import { parseRulesFile } from './rules-file.ts'

const RULES = `${INTEL}/et-open/rules`
const read = (name: string) => ({
  feed: 'et-open',
  source: name,
  text: readFileSync(`${RULES}/${name}`, 'utf8'),
})

describe('parseRulesFile on ET Open', { timeout: 60_000 }, () => {
  // By hand: `grep -c '^alert' tor.rules` → 752 rules; addresses in their headers:
  // `grep '^alert' tor.rules | sed 's/^alert [a-z]* \[\([^]]*\)\].*/\1/' | tr ',' '\n' | wc -l` → 7520.
  it('turns tor.rules headers into Tor addresses', () => {
    const result = parseRulesFile(read('tor.rules'), { licence: 'et-sid' })
    expect(result.indicators.length).toBe(7520)
    expect(new Set(result.indicators.map((i) => i.origin.line)).size).toBe(752)
    expect(result.intelRules).toBe(752)
    expect(result.indicators.every((i) => i.class === 'suspicious.tor' && i.ioc === 'ip')).toBe(
      true,
    )
    expect(result.untranslated).toEqual([])
  })

  // By hand: `grep -c '^alert' emerging-ja3.rules` → 102. Flowbits (`grep -o 'flowbits:…,[^;]*'`):
  // 6 noalert setters (cobaltstrike, deimosc2, meterpreter ×2, rclone, rustybuer) and 7 `isset`
  // dependents (cobaltstrike ×3, deimosc2, rclone ×2, rustybuer); no rule tests meterpreter.
  // The other 89 are one `ja3.hash; content:"<32 hex>"` each. Each rule of a chain is a signature
  // with its flowbits (the sensor keeps the bits per flow and leaves out setters nothing tests).
  it('turns JA3 rules into JA3 entries and JA3+JA3S chains into flowbits signatures', () => {
    const result = parseRulesFile(read('emerging-ja3.rules'), { licence: 'et-sid' })
    expect(result.indicators.length).toBe(89)
    expect(result.indicators.every((i) => i.ioc === 'ja3')).toBe(true)
    const setters = result.signatures.filter((s) => s.flowbits?.set)
    const testers = result.signatures.filter((s) => s.flowbits?.isset)
    expect([setters.length, testers.length, result.signatures.length]).toEqual([6, 7, 13])
    expect(setters.every((s) => s.flowbits?.noalert && s.fields[0] === 'ja3.hash')).toBe(true)
    const setBits = new Set(setters.flatMap((s) => s.flowbits?.set ?? []))
    expect(testers.every((s) => s.flowbits?.isset?.every((b) => setBits.has(b)))).toBe(true)
    expect(result.untranslated).toEqual([])
  })

  // By hand: enabled EK rules on dns.query/tls.sni/http.host with exactly one content, no pcre or
  // flowbits, anchored by endswith/bsize/isdataat → 974 (grep … | awk -F'content:' 'NF==2' |
  // grep -cE 'endswith|bsize|isdataat:!1,relative'); disabled: `grep -c '^#alert'` → 2766.
  it('turns exploit-kit domain rules into domain entries', () => {
    const result = parseRulesFile(read('emerging-exploit_kit.rules'), { licence: 'et-sid' })
    expect(result.indicators.filter((i) => i.ioc === 'domain').length).toBe(974)
    expect(result.disabled).toBe(2766)
    expect(result.errors).toEqual([])
    expect(result.signatures.length).toBeGreaterThan(0)
    expect(
      result.signatures.every((s) => s.licence === 'BSD-3-Clause' && s.id.startsWith('et-open:')),
    ).toBe(true)
  })

  // malicious_ips.rules is not ET's: every rule is sid 1001000 with a home network hard-coded.
  it('reports third-party rules instead of shipping them', () => {
    const result = parseRulesFile(read('malicious_ips.rules'), { licence: 'et-sid' })
    expect(result.indicators).toEqual([])
    expect(result.untranslated.length).toBe(398)
  })

  it('marks translated rules outside ET licence ranges as unlicensed', () => {
    const text =
      'alert dns any any -> any any (msg:"x"; dns.query; content:".a.example"; endswith; sid:1001001;)'
    const result = parseRulesFile(
      { feed: 'et-open', source: 'x.rules', text },
      { licence: 'et-sid' },
    )
    expect(result.indicators).toEqual([])
    expect(result.unlicensed.map((u) => u.reason)).toEqual([
      'sid outside the licence ranges of ET Open (third-party rule)',
    ])
  })

  it('keeps only the licences a pack may ship', () => {
    const text =
      'alert dns any any -> any any (msg:"GPL DNS x"; dns.query; content:".a.example"; endswith; sid:3000;)'
    const result = parseRulesFile(
      { feed: 'et-open', source: 'x.rules', text },
      { licence: 'et-sid', shipOnly: ['BSD-3-Clause'] },
    )
    expect(result.indicators).toEqual([])
    expect(result.unlicensed.map((u) => u.reason)).toEqual(['licence GPL-2.0-only is not shipped'])
    const unfiltered = parseRulesFile(
      { feed: 'et-open', source: 'x.rules', text },
      { licence: 'et-sid' },
    )
    expect(unfiltered.indicators.map((i) => i.value)).toEqual(['a.example'])
  })

  it('keeps good rules around a malformed one', () => {
    const text = [
      'alert dns any any -> any any (msg:"ET MALWARE a"; dns.query; content:".a.example"; endswith; sid:2000010;)',
      'alert dns any any -> any any msg:"broken"',
      '#alert dns any any -> any any (msg:"off"; sid:2000011;)',
      'alert dns any any -> any any (msg:"ET MALWARE b"; dns.query; content:".b.example"; endswith; sid:2000012;)',
    ].join('\n')
    const result = parseRulesFile(
      { feed: 'et-open', source: 'x.rules', text },
      { licence: 'et-sid' },
    )
    expect(result.indicators.map((i) => [i.value, i.origin.line])).toEqual([
      ['a.example', 1],
      ['b.example', 4],
    ])
    expect(result.errors.map((e) => [e.line, e.reason])).toEqual([[2, 'no option block "( … )"']])
    expect(result.disabled).toBe(1)
  })
})

describe('parseRulesFile on abuse.ch Suricata rules', { timeout: 60_000 }, () => {
  // By hand: `grep -c '^drop tls' abuse.ch.sslblacklist.rules` → 7359 (a newer snapshot than the CSV).
  it('turns certificate rules into SHA1 hash entries', () => {
    const text = readFileSync(
      `${INTEL}/abusech/abusech-suricata-rules-kwang3129/abuse.ch.sslblacklist.rules`,
      'utf8',
    )
    const result = parseRulesFile(
      { feed: 'abusech-sslbl-rules', source: 'abuse.ch.sslblacklist.rules', text },
      { licence: 'CC0-1.0' },
    )
    expect(result.errors).toEqual([])
    expect(result.untranslated).toEqual([])
    expect(result.indicators.length).toBe(SSLBL_RULES)
    expect(result.indicators.every((i) => i.ioc === 'hash' && i.value.length === 40)).toBe(true)
  })
})

const SSLBL_RULES = 7359
