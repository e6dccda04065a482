/**
 * The spellings socbox's `dns` events use (dsl/schema/README.md): lowercase names without the
 * trailing dot, qtype mnemonics with `TYPE<n>` for unknown ones, rcode mnemonics. The oracle turns
 * tshark's numbers into the same spellings so that the two sides compare as strings.
 */

const QTYPES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  3: 'MD',
  4: 'MF',
  5: 'CNAME',
  6: 'SOA',
  7: 'MB',
  8: 'MG',
  9: 'MR',
  10: 'NULL',
  11: 'WKS',
  12: 'PTR',
  13: 'HINFO',
  14: 'MINFO',
  15: 'MX',
  16: 'TXT',
  17: 'RP',
  18: 'AFSDB',
  24: 'SIG',
  25: 'KEY',
  28: 'AAAA',
  29: 'LOC',
  33: 'SRV',
  35: 'NAPTR',
  36: 'KX',
  37: 'CERT',
  39: 'DNAME',
  41: 'OPT',
  42: 'APL',
  43: 'DS',
  44: 'SSHFP',
  45: 'IPSECKEY',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  49: 'DHCID',
  50: 'NSEC3',
  51: 'NSEC3PARAM',
  52: 'TLSA',
  53: 'SMIMEA',
  55: 'HIP',
  59: 'CDS',
  60: 'CDNSKEY',
  61: 'OPENPGPKEY',
  62: 'CSYNC',
  63: 'ZONEMD',
  64: 'SVCB',
  65: 'HTTPS',
  99: 'SPF',
  108: 'EUI48',
  109: 'EUI64',
  249: 'TKEY',
  250: 'TSIG',
  251: 'IXFR',
  252: 'AXFR',
  255: 'ANY',
  256: 'URI',
  257: 'CAA',
}

const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
}

export function qtypeName(n: number): string {
  return QTYPES[n] ?? `TYPE${n}`
}

export function rcodeName(n: number): string {
  return RCODES[n] ?? `RCODE${n}`
}

/**
 * tshark writes the root as `<Root>`, socbox as `.`; other names socbox writes without the trailing
 * dot. DNS compares names case-insensitively in ASCII only, so only ASCII letters are folded.
 */
export function normalizeName(name: string): string {
  if (name === '<Root>' || name === '.') return '.'
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/\.$/, '')
}
