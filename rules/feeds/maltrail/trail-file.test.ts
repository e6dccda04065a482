import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { INTEL } from '../testing/shared-data.ts'
import { parseTrailFile } from './trail-file.ts'

const STATIC = `${INTEL}/maltrail/trails/static`
const c2 = { class: 'malware.c2', why: 'test' }

function parse(text: string) {
  return parseTrailFile({ feed: 'maltrail', source: 'malware/test.txt', text }, c2)
}

describe('parseTrailFile', { timeout: 60_000 }, () => {
  it('keeps good lines around bad ones and reports bad ones with their line number', () => {
    const result = parse(
      [
        '# Copyright',
        '# Reference: https://example.org/a',
        '# Reference: https://example.org/b',
        '',
        'Evil.Example.COM.',
        '(gomon|perevod)[0-9]{2}\\.ru',
        '1.2.3.4:8080',
        '213.165.60.118:22:443',
        '# Reference: https://example.org/c',
        '10.0.0.1 # scanner.example',
        'host.example:8080',
        'bad..example',
        'http://Gate.EXAMPLE:80/x.php',
        'gate.example/panel/',
        '/admin/gate.php',
        '2001:DB8::1',
        '198.51.100.0/24',
      ].join('\n'),
    )
    expect(result.indicators.map((i) => [i.ioc, i.value, i.port, i.origin.line])).toEqual([
      ['domain', 'evil.example.com', undefined, 5],
      ['ip', '1.2.3.4', 8080, 7],
      ['ip', '10.0.0.1', undefined, 10],
      ['url', 'gate.example/x.php', undefined, 13],
      ['url', 'gate.example/panel/', undefined, 14],
      ['url', '/admin/gate.php', undefined, 15],
      ['ip', '2001:db8::1', undefined, 16],
      ['ip', '198.51.100.0/24', undefined, 17],
    ])
    expect(result.errors.map((e) => [e.line, e.reason])).toEqual([
      [6, 'regular-expression trail (no literal to list)'],
      [8, 'address with more than one port'],
      [11, 'host with port (Maltrail matches ports only on addresses)'],
      [12, 'domain: empty label'],
    ])
    expect(result.indicators[0]?.origin.references).toEqual([
      'https://example.org/a',
      'https://example.org/b',
    ])
    expect(result.indicators[2]?.origin.references).toEqual(['https://example.org/c'])
    expect(result.indicators[0]?.origin.label).toBe('test')
    expect(result.indicators.every((i) => i.class === 'malware.c2')).toBe(true)
  })

  // Expected counts were taken with grep, independently of this parser:
  //   grep -cvE '^\s*(#|$)' suspicious/onion.txt                      → 56 trails
  //   grep -vE '^\s*(#|$)' suspicious/onion.txt | grep -cE '^[0-9.]+:[0-9]+'  → 1 ip:port
  //   grep -vE '^\s*(#|$)' mass_scanner.txt | wc -l                     → 19220 trails
  //   grep -vE '^\s*(#|$)' mass_scanner.txt | grep -cE '^[0-9a-fA-F]*:[0-9a-fA-F:]+$'  → 1981 IPv6
  //   grep -cE '^[A-Za-z][0-9.]+' mass_scanner.txt                     → 3 typos (`C91.196.152.28`)
  it('reads real Maltrail files', () => {
    const read = (path: string) => ({
      feed: 'maltrail',
      source: path,
      text: readFileSync(join(STATIC, path), 'utf8'),
    })
    const onion = parseTrailFile(read('suspicious/onion.txt'), c2)
    expect(onion.indicators.length + onion.errors.length).toBe(ONION_TRAILS)
    expect(onion.errors).toEqual([])
    expect(onion.indicators.filter((i) => i.port !== undefined).length).toBe(ONION_WITH_PORT)
    const scanners = parseTrailFile(read('mass_scanner.txt'), c2)
    expect(scanners.indicators.length + scanners.errors.length).toBe(SCANNER_TRAILS)
    expect(scanners.indicators.filter((i) => i.ioc === 'ip' && i.value.includes(':')).length).toBe(
      SCANNER_IPV6,
    )
    expect(scanners.errors.map((e) => e.reason)).toEqual(
      new Array(SCANNER_TYPOS).fill('domain: not a valid IDNA domain'),
    )
  })
})

const ONION_TRAILS = 56
const ONION_WITH_PORT = 1
const SCANNER_TRAILS = 19220
const SCANNER_IPV6 = 1981
const SCANNER_TYPOS = 3
