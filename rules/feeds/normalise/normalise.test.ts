import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normaliseDomain } from './domain.ts'
import { normaliseHash, normaliseJa3, normaliseJa4 } from './hash.ts'
import { formatIp, networkContains, normaliseIp, parseIp } from './ip.ts'
import { normaliseUrl } from './url.ts'

const value = (r: { ok: boolean; value?: string; reason?: string }) =>
  r.ok ? r.value : `!${r.reason}`

describe('normaliseDomain', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['.cc', 'cc'],
    ['Bücher.DE', 'xn--bcher-kva.de'],
    ['xn--mgbfv9eh74d.com', 'xn--mgbfv9eh74d.com'],
    ['_dmarc.Example.com', '_dmarc.example.com'],
    ['  padded.example  ', 'padded.example'],
  ])('%s → %s', (raw, expected) => {
    expect(value(normaliseDomain(raw))).toBe(expected)
  })
  it.each([
    ['', 'empty domain'],
    ['1.2.3.4', 'an IP address, not a domain'],
    ['ex..com', 'empty label'],
    ['-bad.com', 'invalid label "-bad"'],
    ['exa mple.com', 'not a valid IDNA domain'],
    ['foo*.com', 'invalid label "foo*"'],
    ['host.123', 'not a valid IDNA domain'], // WHATWG: a numeric last label means IPv4
    [`${'a'.repeat(64)}.com`, `invalid label "${'a'.repeat(64)}"`],
  ])('rejects %j: %s', (raw, reason) => {
    expect(value(normaliseDomain(raw))).toBe(`!${reason}`)
  })
  it('is idempotent on generated names', () => {
    const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?$/)
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('com', 'jp', 'xyz'),
        (labels, tld) => {
          const once = normaliseDomain(`${labels.join('.')}.${tld}.`)
          expect(once.ok).toBe(true)
          if (once.ok) expect(normaliseDomain(once.value)).toEqual(once)
        },
      ),
    )
  })
})

describe('normaliseIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 8.8.8.8 ', '8.8.8.8'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.0.2.7/32', '192.0.2.7'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0001:0000:0000:0000:0000', '2001:db8:0:1::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.0/120', '192.0.2.0/24'],
    ['2001:db8::1/32', '2001:db8::/32'],
    ['[2001:db8::5]', '2001:db8::5'],
  ])('%s → %s', (raw, expected) => {
    expect(value(normaliseIp(raw))).toBe(expected)
  })
  it.each([
    ['256.1.1.1', 'not an IPv4 address'],
    ['010.1.1.1', 'not an IPv4 address'],
    ['1.2.3', 'not an IPv4 address'],
    ['1.2.3.4/33', 'prefix /33 longer than 32 bits'],
    ['1.2.3.4/x', 'invalid prefix length "x"'],
    ['1::2::3', 'not an IPv6 address'],
    ['fe80::1%eth0', 'not an IPv6 address'],
    ['1:2:3:4:5:6:7:8:9', 'not an IPv6 address'],
  ])('rejects %s: %s', (raw, reason) => {
    expect(value(normaliseIp(raw))).toBe(`!${reason}`)
  })
  it('round-trips every IPv6 address through its canonical form', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
        (bytes) => {
          const text = formatIp({ version: 6, bytes })
          const parsed = parseIp(text)
          expect(parsed.ok && parsed.value.bytes).toEqual(bytes)
          // Canonical means: normalising the canonical text changes nothing (unless IPv4-mapped).
          const isMapped =
            bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255
          if (!isMapped) expect(value(normaliseIp(text))).toBe(text)
        },
      ),
    )
  })
  it('tests containment of addresses in networks', () => {
    expect(networkContains('10.0.0.0/8', '10.200.1.1')).toBe(true)
    expect(networkContains('10.0.0.0/8', '11.0.0.1')).toBe(false)
    expect(networkContains('2001:db8::/32', '2001:db8:ffff::1')).toBe(true)
    expect(networkContains('2001:db8::/32', '10.0.0.1')).toBe(false)
    expect(networkContains('192.0.2.1', '192.0.2.1')).toBe(true)
  })
})

describe('normaliseUrl', () => {
  it.each([
    ['HTTP://Example.COM:80/a', 'example.com/a'],
    ['https://example.com:443/', 'example.com/'],
    ['https://example.com:80/', 'example.com/'],
    ['http://example.com:443/', 'example.com:443/'],
    ['https://example.com:8443/x', 'example.com:8443/x'],
    ['http://example.com/%7euser/%2f%41?q=%3d%7E', 'example.com/~user/%2FA?q=%3D~'],
    ['http://example.com/a/./b/../c#frag', 'example.com/a/c'],
    ['http://user:pw@example.com/x', 'example.com/x'],
    ['example.com/gate.php', 'example.com/gate.php'],
    ['example.com?x=1', 'example.com/?x=1'],
    ['wss://example.com/socket', 'example.com/socket'],
    ['http://212.109.198.22', '212.109.198.22/'],
    ['http://Bücher.de/x', 'xn--bcher-kva.de/x'],
    ['/Admin/Gate.php', '/Admin/Gate.php'],
    ['/a%2fb/%7e', '/a%2Fb/~'],
    ['/Consulta FGTS.js', '/Consulta%20FGTS.js'],
    ['///////atom.xml', '///////atom.xml'],
    ['http://example.com/a b', 'example.com/a%20b'],
    ['http://[2001:DB8::1]:8080/', '[2001:db8::1]:8080/'],
    ['/?u=7mkpd0d', '/?u=7mkpd0d'],
  ])('%s → %s', (raw, expected) => {
    expect(value(normaliseUrl(raw))).toBe(expected)
  })
  it('is idempotent on generated URLs', () => {
    const segment = fc.stringMatching(/^([A-Za-z0-9._~-]|%[0-9a-fA-F]{2}){0,8}$/)
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'HTTPS', 'Http'),
        // Hyphens in the 3rd and 4th place are reserved (IDNA2008 R-LDH labels such as `xn--a`,
        // which URL parsing rightly refuses when they are not valid punycode).
        fc
          .stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,8}[A-Za-z0-9]$/)
          .filter((label) => label.slice(2, 4) !== '--'),
        fc.constantFrom('', ':80', ':8080'),
        fc.array(segment, { maxLength: 4 }),
        (scheme, label, port, segments) => {
          const once = normaliseUrl(`${scheme}://${label}.Example.COM${port}/${segments.join('/')}`)
          expect(once.ok).toBe(true)
          if (once.ok) {
            expect(normaliseUrl(once.value)).toEqual(once)
            expect(once.value).not.toMatch(/%[0-9a-f][a-f]|%[a-f][0-9a-f]/) // escapes in uppercase
            expect(once.value).not.toMatch(/^[a-z]+:|^[^/]*:80\/|^[^/]*:443\//)
            expect(once.value).toBe(once.value.replace(/^[^/]*/, (host) => host.toLowerCase()))
          }
        },
      ),
    )
  })

  it.each([
    ['', 'empty URL'],
    ['http://exa mple.com/', 'whitespace in host'],
    ['javascript://x', 'unsupported scheme javascript:'],
    ['ftp://example.com/x', 'unsupported scheme ftp:'],
    ['/', 'the path "/" would match every request'],
    ['/./', 'the path "/" would match every request'],
    ['http://-bad-.com/', 'invalid host "-bad-.com"'],
  ])('rejects %j: %s', (raw, reason) => {
    expect(value(normaliseUrl(raw))).toBe(`!${reason}`)
  })
})

describe('hashes and fingerprints', () => {
  it.each([
    [
      'B0:8A:49:39:FB:88:F3:75:A2:75:7E:AD:DC:47:B1:FB:8B:55:44:39',
      'b08a4939fb88f375a2757eaddc47b1fb8b554439',
    ],
    ['D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    [
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
  ])('%s → %s', (raw, expected) => {
    expect(value(normaliseHash(raw))).toBe(expected)
  })
  it('rejects hashes of no known length and non-hex', () => {
    expect(value(normaliseHash('abc'))).toBe('!no hash algorithm has 3 hex digits')
    expect(value(normaliseHash('zz'.repeat(16)))).toBe('!not hexadecimal')
  })
  it('validates JA3 and JA4', () => {
    expect(value(normaliseJa3('B386946A5A44D1DDCC843BC75336DFCE'))).toBe(
      'b386946a5a44d1ddcc843bc75336dfce',
    )
    expect(normaliseJa3('b386946a').ok).toBe(false)
    expect(value(normaliseJa4('T13D1516H2_8daaf6152771_02713d6af862'))).toBe(
      't13d1516h2_8daaf6152771_02713d6af862',
    )
    expect(normaliseJa4('t13d1516h2_8daaf6152771').ok).toBe(false)
  })
})
