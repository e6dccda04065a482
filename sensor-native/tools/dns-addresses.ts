/**
 * Where a DNS message carries addresses: the rdata of its A and AAAA records, in every section.
 * The generator rewrites them with the tile's addresses, so that a name still resolves to the
 * host the tile then talks to. Reading stops quietly at anything malformed or cut.
 */
const be16 = (b: Uint8Array, at: number) => ((b[at] as number) << 8) | (b[at + 1] as number)

/** The offset after the name at `p`, or undefined if it runs past `end` or is not a name. */
function skipName(f: Uint8Array, start: number, end: number): number | undefined {
  let p = start
  while (p < end) {
    const len = f[p] as number
    if (len === 0) return p + 1
    if ((len & 0xc0) === 0xc0) return p + 2 <= end ? p + 2 : undefined
    if ((len & 0xc0) !== 0) return undefined
    p += 1 + len
  }
  return undefined
}

/** [offset, length] of each A (4 bytes) and AAAA (16 bytes) rdata of the message at [start, end). */
export function dnsAddressFields(f: Uint8Array, start: number, end: number): [number, number][] {
  const fields: [number, number][] = []
  if (start + 12 > end) return fields
  const questions = be16(f, start + 4)
  const records = be16(f, start + 6) + be16(f, start + 8) + be16(f, start + 10)
  let p: number | undefined = start + 12
  for (let i = 0; i < questions; i++) {
    p = skipName(f, p, end)
    if (p === undefined || p + 4 > end) return fields
    p += 4
  }
  for (let i = 0; i < records; i++) {
    p = skipName(f, p, end)
    if (p === undefined || p + 10 > end) return fields
    const type = be16(f, p)
    const rdlength = be16(f, p + 8)
    p += 10
    if (p + rdlength > end) return fields
    if ((type === 1 && rdlength === 4) || (type === 28 && rdlength === 16))
      fields.push([p, rdlength])
    p += rdlength
  }
  return fields
}
