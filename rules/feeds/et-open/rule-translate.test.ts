import { describe, expect, it } from 'vitest'
import { parseRule } from './rule-parse.ts'
import { translateRule } from './rule-translate.ts'

function translate(line: string) {
  const parsed = parseRule(line)
  if (!parsed.ok) throw new Error(parsed.reason)
  const result = translateRule(parsed.value)
  if ('error' in result) throw new Error(result.error)
  return result
}

const META =
  'classtype:trojan-activity; sid:2000001; rev:3; metadata:malware_family Pikabot, mitre_technique_id T1071, mitre_technique_id T1573;'

describe('translateRule: literal lookups become intel', () => {
  it.each([
    [
      'dns.query; content:".evil.example"; endswith; dotprefix;',
      'domain',
      'evil.example',
      undefined,
    ],
    [
      'dns.query; dotprefix; content:".evil.example"; nocase; endswith;',
      'domain',
      'evil.example',
      undefined,
    ],
    [
      'dns.query; bsize:12; content:"Evil.Example"; nocase;',
      'domain',
      'evil.example',
      'exact name widened to its subdomains',
    ],
    [
      'dns.query; content:"evil.example"; depth:12; endswith;',
      'domain',
      'evil.example',
      'exact name widened to its subdomains',
    ],
    [
      'dns_query; content:"evil.example"; isdataat:!1,relative;',
      'domain',
      'evil.example',
      'suffix narrowed to whole labels',
    ],
    [
      'tls.sni; content:"evil.example"; endswith;',
      'domain',
      'evil.example',
      'suffix narrowed to whole labels',
    ],
    [
      'http.host; content:"evil.example"; bsize:12;',
      'domain',
      'evil.example',
      'exact name widened to its subdomains',
    ],
    [
      'ja3.hash; content:"EB88D0B3E1961A0562F006E5CE2A0B87";',
      'ja3',
      'eb88d0b3e1961a0562f006e5ce2a0b87',
      undefined,
    ],
    [
      'tls_cert_fingerprint; content:"b0:8a:49:39:fb:88:f3:75:a2:75:7e:ad:dc:47:b1:fb:8b:55:44:39";',
      'hash',
      'b08a4939fb88f375a2757eaddc47b1fb8b554439',
      undefined,
    ],
  ])('%s', (options, ioc, value, note) => {
    const { facts, translation } = translate(
      `alert dns $HOME_NET any -> any any (msg:"ET MALWARE Pikabot Domain"; ${options} ${META})`,
    )
    expect(translation).toEqual(
      note
        ? { kind: 'intel', indicators: [{ ioc, value }], note }
        : { kind: 'intel', indicators: [{ ioc, value }] },
    )
    expect(facts).toMatchObject({
      sid: 2000001,
      rev: 3,
      class: 'malware.c2',
      attack: ['T1071', 'T1573'],
    })
  })

  it('reads IP-reputation headers, keeping a single port', () => {
    const feodo = translate(
      'drop tcp $HOME_NET any -> [162.243.103.246] 8080 (msg:"Feodo Tracker: potential Emotet CnC Traffic detected"; sid:900509159; rev:1;)',
    )
    expect(feodo.translation).toEqual({
      kind: 'intel',
      indicators: [{ ioc: 'ip', value: '162.243.103.246', port: 8080 }],
    })
    const tor = translate(
      'alert tcp [1.2.3.4,5.6.7.0/24] any -> $HOME_NET any (msg:"ET TOR Known Tor Exit Node Traffic group 1"; threshold: type limit, track by_src, seconds 60, count 1; sid:2520000; rev:1;)',
    )
    expect(tor.translation).toEqual({
      kind: 'intel',
      indicators: [
        { ioc: 'ip', value: '1.2.3.4' },
        { ioc: 'ip', value: '5.6.7.0/24' },
      ],
    })
    expect(tor.facts.class).toBe('suspicious.tor')
  })

  it('turns an exact host plus an exact URI into a URL entry', () => {
    const { translation } = translate(
      `alert http $HOME_NET any -> any any (msg:"ET MALWARE x"; http.host; content:"Evil.Example"; bsize:12; http.uri; content:"/gate.php"; startswith; endswith; ${META})`,
    )
    expect(translation).toEqual({
      kind: 'intel',
      indicators: [{ ioc: 'url', value: 'evil.example/gate.php' }],
    })
    const prefixOnly = translate(
      `alert http $HOME_NET any -> any any (msg:"ET MALWARE x"; http.host; content:"evil.example"; bsize:12; http.uri; content:"/gate.php"; startswith; ${META})`,
    )
    expect(prefixOnly.translation.kind).toBe('signature')
  })

  it('keeps a substring or multi-pattern lookup as a content signature', () => {
    const { translation } = translate(
      `alert dns $HOME_NET any -> any any (msg:"ET MALWARE x"; dns.query; content:"duckdns"; ${META})`,
    )
    expect(translation.kind).toBe('signature')
  })
})

describe('translateRule: content signatures', () => {
  it('translates an HTTP rule with buffers, positions, sizes and a pcre', () => {
    const { translation } = translate(
      `alert http $HOME_NET any -> $EXTERNAL_NET any (msg:"ET MALWARE Pikabot CnC Checkin"; flow:established,to_server; http.method; content:"POST"; http.uri; content:"/gate.php"; startswith; content:"id="; distance:0; within:20; http.user_agent; bsize:<40; pcre:"/id=[0-9a-f]{8}/Ui"; reference:url,example.org/pikabot; ${META})`,
    )
    expect(translation).toEqual({
      kind: 'signature',
      signature: {
        sid: 2000001,
        rev: 3,
        msg: 'ET MALWARE Pikabot CnC Checkin',
        class: 'malware.c2',
        proto: 'http',
        direction: 'to_server',
        fields: ['http.method', 'http.uri', 'http.user_agent'],
        patterns: [
          { literal: 'POST', nocase: false, field: 'http.method' },
          { literal: '/gate.php', nocase: false, field: 'http.uri', startsWith: true },
          { literal: 'id=', nocase: false, field: 'http.uri', distance: 0, within: 20 },
        ],
        regex: { source: 'id=[0-9a-f]{8}', flags: 'i', field: 'http.uri' },
        sizes: { 'http.user_agent': { max: 39 } },
        references: ['https://example.org/pikabot'],
        attack: ['T1071', 'T1573'],
      },
    })
  })

  it('moves legacy http_* modifiers into fields', () => {
    const { translation } = translate(
      `alert http any any -> any any (msg:"ET MALWARE x"; content:"/a.php"; http_uri; content:"!x"; nocase; http_header; ${META})`,
    )
    expect(translation.kind === 'signature' && translation.signature.patterns).toEqual([
      { literal: '/a.php', nocase: false, field: 'http.uri' },
      { literal: '!x', nocase: true, field: 'http.header' },
    ])
  })
})

describe('translateRule: untranslatable rules say why', () => {
  it.each([
    [
      'alert tcp any any -> any ![445,139] (msg:"x"; content:"|00 01|"; sid:2000002;)',
      'negated header port ![445,139]',
    ],
    [
      'alert tcp any 80 <> any any (msg:"x"; content:"|00 01|"; sid:2000002;)',
      'header ports on a bidirectional rule',
    ],
    [
      'alert tcp-pkt any any -> any any (msg:"x"; content:"|00 01|"; sid:2000002;)',
      'content on raw payload of tcp-pkt (packets, not a stream)',
    ],
    [
      'alert http any any -> any any (msg:"x"; content:"|00 01|"; http.uri; content:"/a"; sid:2000002;)',
      'content on raw payload beside app-layer fields',
    ],
    [
      'alert tcp any any -> any any (msg:"x"; content:"|00 01|"; pcre:"/a/"; pcre:"/b/"; sid:2000002;)',
      'more than one pcre',
    ],
    [
      'alert ip [1.2.3.4] any -> any any (msg:"x"; flowbits:isset,ET.foo; sid:2000002;)',
      'flowbits test on a match that is not a content signature',
    ],
    [
      'alert ip [1.2.3.4] any -> any any (msg:"x"; flowbits:set,x; flowbits:noalert; sid:2000002;)',
      'noalert flowbits setter on a match that is not a content signature',
    ],
    [
      'alert http any any -> any any (msg:"x"; flowbits:isset,a|b; http.uri; content:"/a"; sid:2000002;)',
      'flowbits expression with | or &',
    ],
    [
      'alert http any any -> any any (msg:"x"; http.uri; content:"/a"; byte_test:1,>,2,0; sid:2000002;)',
      'unsupported keyword "byte_test"',
    ],
    [
      'alert http any any -> any any (msg:"x"; http.uri; pcre:"/a/U"; pcre:"/b/U"; sid:2000002;)',
      'more than one pcre',
    ],
    [
      'alert http any any -> any any (msg:"x"; http.uri; pcre:"/a/Ux"; sid:2000002;)',
      'pcre flag x has no JavaScript equivalent',
    ],
    [
      'alert http any any -> any any (msg:"x"; http.uri; pcre:"/a(?<=b/U"; sid:2000002;)',
      'pcre is not a valid JavaScript regular expression',
    ],
    [
      'alert ip 10.0.0.0/24 any -> 101.43.12.185 any (msg:"x"; sid:1001000; rev:1;)',
      'literal addresses on both sides of the header',
    ],
    [
      'alert smb any any -> any any (msg:"x"; smb.named_pipe; content:"svcctl"; sid:2000002;)',
      'unsupported keyword "smb.named_pipe"',
    ],
    [
      'alert http any any -> any any (msg:"x"; http.uri; content:"/a"; depth:$var; sid:2000002;)',
      'depth uses a variable',
    ],
  ])('%s', (line, reason) => {
    expect(translate(line).translation).toEqual({ kind: 'untranslatable', reason })
  })

  it('treats a rule without a sid as a malformed line', () => {
    const parsed = parseRule('alert http any any -> any any (msg:"x";)')
    expect(parsed.ok && translateRule(parsed.value)).toEqual({ error: 'no valid sid' })
  })
})

describe('translateRule: raw payload becomes a payload signature', () => {
  // ET 2009245 (emerging-attack_response.rules), its matching part.
  const tclshell =
    'alert tcp $EXTERNAL_NET any -> $HOME_NET any (msg:"ET ATTACK_RESPONSE Cisco TclShell TFTP Download"; flow:established; content:"|26 26 20|tclsh|20|"; nocase; content:"tftp"; distance:0; within:40; nocase; classtype:successful-admin; sid:2009245; rev:4;)'

  it('keeps patterns, windows and direction on the payload field', () => {
    const { translation } = translate(tclshell)
    expect(translation.kind).toBe('signature')
    if (translation.kind !== 'signature') return
    expect(translation.note).toBeUndefined()
    expect(translation.signature).toMatchObject({
      sid: 2009245,
      proto: 'tcp',
      fields: ['payload'],
      patterns: [
        { literal: '&& tclsh ', nocase: true, field: 'payload' },
        { literal: 'tftp', nocase: true, field: 'payload', distance: 0, within: 40 },
      ],
    })
  })

  it.each([
    ['udp', 'udp', undefined],
    ['ip', 'ip', undefined],
    ['smb', 'tcp', 'raw payload of smb matched on any tcp stream'],
    ['dns', 'ip', 'raw payload of dns matched on any ip stream'],
  ])('%s → %s', (proto, transport, note) => {
    const { translation } = translate(
      `alert ${proto} any any -> any any (msg:"x"; flow:to_server; content:"|ff|SMB"; pcre:"/^.{4}\\x72/s"; sid:2000003;)`,
    )
    expect(translation.kind === 'signature' && translation.signature).toMatchObject({
      proto: transport,
      direction: 'to_server',
      regex: { source: '^.{4}\\x72', flags: 's', field: 'payload' },
    })
    expect(translation.kind === 'signature' && translation.note).toBe(note)
  })
})

describe('translateRule: fast_pattern marks the content before it', () => {
  // ET 2029962 (emerging-hunting.rules), its matching part: the longest literal is the query
  // header, in every DNS query; the author's fast pattern is the TLD.
  const opennic =
    'alert udp $HOME_NET any -> any 53 (msg:"ET HUNTING Observed DNS Query for OpenNIC Alternative DNS TLD (.oss)"; content:"|01|"; offset:2; depth:1; content:"|00 01 00 00 00 00 00|"; distance:1; within:7; content:"|03|oss|00|"; nocase; distance:0; fast_pattern; classtype:bad-unknown; sid:2029962; rev:2;)'

  it('sets fastPattern on that content only', () => {
    const { translation } = translate(opennic)
    expect(translation.kind).toBe('signature')
    if (translation.kind !== 'signature') return
    const marks = translation.signature.patterns.map((p) => p.fastPattern ?? false)
    expect(marks).toEqual([false, false, true])
    expect(translation.signature.patterns[2]).toMatchObject({
      literal: '\x03oss\x00',
      nocase: true,
    })
  })

  it('a fast_pattern before any content marks nothing and is not refused', () => {
    const { translation } = translate(
      'alert tcp any any -> any any (msg:"x"; fast_pattern; content:"abcd"; sid:2000004;)',
    )
    expect(translation.kind === 'signature' && translation.signature.patterns).toEqual([
      { literal: 'abcd', nocase: false, field: 'payload' },
    ])
  })
})

describe('translateRule: header ports travel with the signature', () => {
  it.each([
    [
      'alert tcp any any -> any [139,445] (msg:"x"; content:"|ff|SMB"; sid:2000004;)',
      {
        dst: [
          [139, 139],
          [445, 445],
        ],
      },
    ],
    [
      'alert http $HOME_NET any -> $EXTERNAL_NET 443 (msg:"x"; http.method; content:"OPTIONS"; sid:2000005;)',
      { dst: [[443, 443]] },
    ],
    [
      'alert http $EXTERNAL_NET 1024: -> $HOME_NET $HTTP_PORTS (msg:"x"; http.uri; content:"/a"; sid:2000006;)',
      { src: [[1024, 65535]] },
    ],
    [
      'alert http any any -> any $HTTP_PORTS (msg:"x"; http.uri; content:"/a"; sid:2000007;)',
      undefined,
    ],
  ])('%s', (line, ports) => {
    const { translation } = translate(line)
    expect(translation.kind === 'signature' && translation.signature.ports).toEqual(ports)
  })
})

describe('translateRule: flowbits travel with the signature', () => {
  const signatureOf = (text: string) => {
    const parsed = parseRule(text)
    if (!parsed.ok) throw new Error(parsed.reason)
    const out = translateRule(parsed.value)
    if ('error' in out || out.translation.kind !== 'signature') throw new Error(JSON.stringify(out))
    return out.translation.signature
  }

  it('keeps every operation as written, and noalert', () => {
    const s = signatureOf(
      'alert http any any -> any any (msg:"x"; flow:established,to_server; http.uri; content:"/gate"; flowbits:set,ET.a; flowbits:unset,ET.b; flowbits:toggle,ET.c; flowbits:isnotset,ET.d; flowbits:noalert; sid:2000003;)',
    )
    expect(s.flowbits).toEqual({
      set: ['ET.a'],
      unset: ['ET.b'],
      toggle: ['ET.c'],
      isnotset: ['ET.d'],
      noalert: true,
    })
    expect(s.patterns.map((p) => p.literal)).toEqual(['/gate'])
  })

  it('a setter that alone would be an intel entry stays a signature, so it can set its bit', () => {
    const s = signatureOf(
      'alert dns any any -> any any (msg:"x"; dns.query; content:"evil.example"; endswith; flowbits:set,ET.dns; sid:2000004;)',
    )
    expect(s.flowbits).toEqual({ set: ['ET.dns'] })
    expect(s.proto).toBe('dns')
  })

  it('an isset rule without content is all condition on the bit', () => {
    const s = signatureOf(
      'alert http $HOME_NET any -> $EXTERNAL_NET any (msg:"x"; flow:to_client; flowbits:isset,ET.a; sid:2000005;)',
    )
    expect(s).toMatchObject({ proto: 'http', patterns: [], flowbits: { isset: ['ET.a'] } })
  })
})
