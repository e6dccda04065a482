import { describe, expect, it } from 'vitest'
import { compileRules } from '../pack/compile-rules.ts'

const VARIABLES = 'variable $scanners cidrs [10.9.0.0/24]\n'

// A valid policy with one statement swapped for `line`: each case shows one mistake and where it lands.
function check(line: string) {
  const text = `${VARIABLES}policy "default" version 1 {
  ${line}
}`
  return compileRules([{ path: 'p.soc', text }], undefined, { now: 0 }).diagnostics.map(
    (d) => `${d.line}:${d.column} ${d.message}${d.hint ? ` (${d.hint})` : ''}`,
  )
}

describe('checkPolicy', () => {
  it('accepts every kind of statement', () => {
    expect(
      check(`title { en "x" ja "x" }
  raise severity to high when dst.ip in $scanners and severity < high
  lower severity by 2 when class == "recon.scan"
  set severity to info when rule == "SB-X-0001" and tenant == "acme"
  except "lab" owner "a@example.jp" reason "lab" expires 2027-03-31 when src.ip in cidr("10.9.0.0/24")
  suppress "pentest" owner "a@example.jp" reason "pen test" from 2026-12-01T22:00 to 2026-12-02 when class == "recon.scan"
  dedup 10m by src.ip when class == "recon.scan"
  dedup 1d
  rate 5 per 1h by class when severity <= low
  rate 100 per 1h
  route immediate, "soc-acme" when severity >= high and tenant == "acme"
  limits { dedup 1000 rates 100 sample 5 }
  test "t" { given alert { severity high } expect stored 1 route [immediate] }`),
    ).toEqual([])
  })

  it.each([
    [
      'raise severity to hgh when class == "x"',
      '3:21 unknown severity hgh (one of info, low, medium, high, critical)',
    ],
    [
      'set severity by 1 when class == "x"',
      '3:19 set severity takes a level (write set severity to low, or raise/lower … by N)',
    ],
    [
      'route immediate when severity >= urgent',
      '3:36 urgent is not a severity (one of info, low, medium, high, critical)',
    ],
    ['route immediate when clas == "x"', '3:24 alerts have no field clas (did you mean class?)'],
    [
      'route immediate when src.ip in $scaners',
      '3:34 unknown site variable $scaners (did you mean $scanners?)',
    ],
    [
      'route "Bad Name"',
      '3:9 "Bad Name" is not a channel name (channel names are lower-case words: immediate, digest, operations)',
    ],
    [
      'except "lab" owner "a@example.jp" expires 2027-03-31 when class == "x"',
      '3:10 exception "lab" has no reason (every exception says who owns it, why, and when it expires: owner "…" reason "…" expires 2027-03-31)',
    ],
    [
      'except "lab" owner "a" reason "b" expires 2027-02-30 when class == "x"',
      '3:45 "2027-02-30" is not a date (write 2027-03-31 or 2026-12-01T22:00 (JST unless Z or +hh:mm follows))',
    ],
    [
      'except "all" owner "a" reason "b" expires 2027-03-31',
      '3:3 exception "all" has no condition and would hide every alert (say what it covers: when class == "recon.scan" and src.ip in cidr("10.9.0.0/24"))',
    ],
    [
      'suppress "w" owner "a" reason "b" from 2026-12-02 to 2026-12-01T10:00 when class == "x"',
      '3:56 the window ends before it starts',
    ],
    ['dedup 0s', '3:9 a dedup window lasts from 1s to 30d'],
    ['rate 0 per 1h', '3:8 a rate limit is a whole number from 1 to 1000000'],
    ['limits { keys 5 }', '3:12 unknown limit keys (policy limits: dedup, rates, sample)'],
    [
      'test "t" { given alert { severity high } expect storred 1 }',
      '3:51 unknown expectation storred (one of stored, suppressed, digests, folded, expired, severity, route, exception, window)',
    ],
    [
      'test "t" { given dns { query "x" } expect stored 1 }',
      '3:20 a policy test is given alerts (write given alert { rule "SB-C2-0002" class "malware.c2" severity high })',
    ],
  ])('%s', (line, message) => {
    expect(check(line)).toContain(message)
  })

  it('refuses a dedup line that can never apply', () => {
    expect(check('dedup 1d\n  dedup 1h when class == "x"')).toContain(
      '4:3 this dedup line never applies: the one at line 3 has no when and matches every alert first (the first dedup line whose condition holds applies: put the line without when last)',
    )
  })

  it('refuses two exceptions of one name and a policy id used twice', () => {
    const text = `policy "p" version 1 {
  except "a" owner "o" reason "r" expires 2027-01-01 when class == "x"
  except "a" owner "o" reason "r" expires 2027-01-01 when class == "y"
}
policy "p" version 1 { }`
    const messages = compileRules([{ path: 'p.soc', text }], undefined).diagnostics.map(
      (d) => `${d.line}:${d.column} ${d.message}`,
    )
    expect(messages).toContain('3:10 "a" is already the name of the exception at line 2')
    expect(messages).toContain('5:8 policy id p is already used in p.soc:1')
  })

  it('reports an expired exception as a notice, not an error', () => {
    const text = `policy "p" version 1 {
  except "old" owner "netops" reason "r" expires 2026-01-31 when class == "x"
}`
    const at = Date.parse('2026-02-01T00:00:00+09:00')
    const before = compileRules([{ path: 'p.soc', text }], undefined, { now: at - 1 })
    expect(before.notices).toEqual([])
    const after = compileRules([{ path: 'p.soc', text }], undefined, { now: at })
    expect(after.diagnostics).toEqual([])
    expect(after.notices).toEqual([
      {
        file: 'p.soc',
        line: 2,
        column: 3,
        message:
          'exception "old" (owner netops) expired at the end of 2026-01-31 and no longer applies: renew it with a new date or remove it',
      },
    ])
  })

  it('compares severities by level, not by spelling', () => {
    const text = 'policy "p" version 1 { route x when severity >= medium }'
    const [policy] = compileRules([{ path: 'p.soc', text }], undefined).policies
    expect(policy?.ir.routes[0]?.when).toEqual({
      op: 'cmp',
      cmp: '>=',
      left: { fn: 'severity_rank', args: [{ ref: 'severity' }] },
      right: { lit: 2 },
    })
  })
})

describe('site variables', () => {
  const messages = (text: string) =>
    compileRules([{ path: 'v.soc', text }], undefined).diagnostics.map(
      (d) => `${d.line}:${d.column} ${d.message}`,
    )

  it('types declarations and uses', () => {
    expect(messages('variable $nets cidrs [10.0.0.0/8, "nope"]')).toEqual([
      '1:35 "nope" is not an IP address or prefix (10.0.0.0/8, "fc00::/7")',
    ])
    expect(messages('variable $n number [1]')).toEqual(['1:20 a number variable takes one value'])
    expect(messages('variable $n numbr 1')).toEqual(['1:13 unknown variable type numbr'])
    expect(messages('variable $a strings []\nvariable $a strings []')).toEqual([
      '2:10 site variable $a is already declared in v.soc:1',
    ])
    const rule = (where: string) => `variable $nets cidrs [10.0.0.0/8]
variable $limit number 40
detection "SB-TEST-0001" version 1 {
  title { en "t" }
  class "info.test"
  severity low
  on dns where ${where}
}`
    expect(messages(rule('src.ip in $nets and len(query) > $limit'))).toEqual([])
    expect(messages(rule('query in $nets'))).toEqual([
      '7:16 $nets holds cidrs; this value is a string',
    ])
    expect(messages(rule('src.ip == $nets'))).toEqual([
      '7:26 $nets is a list; compare its elements with in',
    ])
    expect(messages(rule('first_seen(query, 30d) and src.ip in $nope'))).toEqual([
      '7:53 unknown site variable $nope',
    ])
  })

  it('checks first_seen', () => {
    const rule = (where: string, type = 'detection') => `${type} "SB-TEST-0001" version 1 {
  title { en "t" }
  class "info.test"
  severity low
  on dns where ${where}
}`
    expect(messages(rule('first_seen(last_labels(query, 2), 30d)'))).toEqual([])
    expect(messages(rule('first_seen(query, 400d)'))).toEqual([
      '5:34 the window of first_seen is from 1m to 366d',
    ])
    expect(messages(rule('first_seen(query)'))).toEqual([
      '5:16 first_seen takes a value and a window',
    ])
    expect(messages(rule('len(query) > 5m'))).toEqual([
      '5:29 a duration is only a value in first_seen(value, 30d)',
      '5:16 cannot compare a number with a duration',
    ])
  })
})
