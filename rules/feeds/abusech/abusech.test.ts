import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { INTEL } from '../testing/shared-data.ts'
import { parseFeodoIpBlocklist } from './feodo-ipblocklist.ts'
import { parseSslblCertificates } from './sslbl-certificates.ts'
import { parseSslblJa3 } from './sslbl-ja3.ts'

const ABUSECH = `${INTEL}/abusech`
const real = (path: string) => ({
  feed: 'f',
  source: path,
  text: readFileSync(`${ABUSECH}/${path}`, 'utf8'),
})
const inline = (text: string) => ({ feed: 'f', source: 'inline.csv', text })

describe('SSLBL certificates', () => {
  // By hand: `wc -l` → 5566 lines (final newline present) = header + `grep -c '^[0-9a-f]\{40\},'`
  // → 5565 rows; ransomware rows: `grep -ciE ',[^,]*(ransom|torrentlocker|cryptolocker|cryptowall|
  // teslacrypt)[^,]*,'` → 307 (every ransomware family named in the file's reasons).
  it('reads the real list', () => {
    const result = parseSslblCertificates(real('sslbl-j-bernal/sslblacklist.csv'))
    expect(result.errors).toEqual([])
    expect(result.indicators.length).toBe(SSLBL_ROWS)
    expect(result.indicators.filter((i) => i.class === 'malware.ransomware').length).toBe(
      SSLBL_RANSOM_ROWS,
    )
    expect(result.indicators[0]).toMatchObject({
      ioc: 'hash',
      value: '19e664f09401bf648b6ea57719e34ad795f3b6cb',
      origin: { line: 2, label: 'AsyncRAT C&C' },
    })
  })
  it('reports bad rows and keeps good ones', () => {
    const result = parseSslblCertificates(
      inline(
        '\uFEFFSHA1,ListingReason,ListingDate\nXYZ,Dridex C&C,1/1/2020\nB08A4939FB88F375A2757EADDC47B1FB8B554439,Shylock C&C,5/4/2014\nd41d8cd98f00b204e9800998ecf8427e,x,y\nlonely',
      ),
    )
    expect(result.indicators.map((i) => i.value)).toEqual([
      'b08a4939fb88f375a2757eaddc47b1fb8b554439',
    ])
    expect(result.errors.map((e) => [e.line, e.reason])).toEqual([
      [2, 'not hexadecimal'],
      [4, 'not a SHA1 (40 hex digits)'],
      [5, 'expected SHA1,ListingReason,ListingDate'],
    ])
  })
})

describe('SSLBL JA3', () => {
  // By hand: `grep -vc '^#' ja3_fingerprints.csv` → 98 rows, as the file's own "# END (98) entries".
  it('reads the real list', () => {
    const result = parseSslblJa3(real('sslbl-ja3-branislavdubec/src/ja3_fingerprints.csv'))
    expect(result.errors).toEqual([])
    expect(result.indicators.length).toBe(98)
    expect(result.indicators.filter((i) => i.class === 'info.adware').length).toBe(JA3_ADWARE_ROWS)
  })
  it('reports malformed rows', () => {
    const result = parseSslblJa3(
      inline('# c\nb386946a5a44d1ddcc843bc75336dfce,a,b,Dridex\nshort,a,b,X\n1,2'),
    )
    expect(result.indicators.map((i) => i.class)).toEqual(['malware.c2'])
    expect(result.errors.map((e) => e.line)).toEqual([3, 4])
  })
})

describe('Feodo IP blocklist', () => {
  // By hand: `grep -c '^"20' ipblocklist.csv` → 28 rows, as the file's "# END 28 entries".
  it('reads the real list with ports', () => {
    const result = parseFeodoIpBlocklist(real('feodo-wizard-projects/ipblocklist.csv'))
    expect(result.errors).toEqual([])
    expect(result.indicators.length).toBe(28)
    expect(result.indicators[0]).toMatchObject({
      value: '192.9.135.73',
      port: 1194,
      class: 'malware.c2',
    })
  })
  it('reports bad addresses and ports', () => {
    const result = parseFeodoIpBlocklist(
      inline(
        '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"\n"x","1.2.3.999","80","online","x","Emotet"\n"x","1.2.3.4","0","online","x","Emotet"\n"x","1.2.3.4"',
      ),
    )
    expect(result.indicators).toEqual([])
    expect(result.errors.map((e) => e.reason)).toEqual([
      'not an IPv4 address',
      'invalid port "0"',
      'expected 6 fields: first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware',
    ])
  })
})

const SSLBL_ROWS = 5565
const SSLBL_RANSOM_ROWS = 307
const JA3_ADWARE_ROWS = 26
