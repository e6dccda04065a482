/**
 * socbox writes DNS names and TXT data byte-exact: printable ASCII as is, `\.` and `\\` for a dot
 * or backslash inside a label, `\DDD` (decimal) for any other byte. tshark cannot show the bytes:
 * it decodes them as UTF-8 and shows each ill-formed sequence as one U+FFFD. To compare, socbox's
 * text is seen the way tshark 4.0 shows the same bytes.
 *
 * tshark's notion of a sequence is the old, loose one (found by comparing against its output for
 * C2/ndpi__dns-tunnel-iodine.pcap, whose labels are raw bytes): the lead byte says how many
 * continuation bytes follow (up to 5, as in the original UTF-8 of RFC 2279), any 0x80–0xBF byte
 * counts as one, and a lead with fewer than its count is one U+FFFD together with them.
 */
const REPLACEMENT = '\uFFFD'

export function asTsharkShows(text: string): string {
  if (!text.includes('\\')) return text
  return decodeLikeTshark(socboxTextBytes(text))
}

/** socbox's escapes back to bytes. */
export function socboxTextBytes(text: string): number[] {
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (c === '\\' && /^\d{3}$/.test(text.slice(i + 1, i + 4))) {
      bytes.push(Number(text.slice(i + 1, i + 4)))
      i += 3
    } else if (c === '\\' && i + 1 < text.length) {
      bytes.push(...Buffer.from(text[i + 1] as string))
      i += 1
    } else bytes.push(...Buffer.from(c))
  }
  return bytes
}

const isContinuation = (b: number | undefined) => b !== undefined && b >= 0x80 && b <= 0xbf

function continuationCount(lead: number): number {
  if (lead < 0xe0) return 1
  if (lead < 0xf0) return 2
  if (lead < 0xf8) return 3
  if (lead < 0xfc) return 4
  return 5
}

const MIN_OF_LENGTH = [0, 0x80, 0x800, 0x10000]

export function decodeLikeTshark(bytes: number[]): string {
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const lead = bytes[i] as number
    if (lead < 0x80) {
      out += String.fromCharCode(lead)
      i += 1
      continue
    }
    if (lead <= 0xbf) {
      out += REPLACEMENT
      i += 1
      continue
    }
    const need = continuationCount(lead)
    let j = i + 1
    while (j - i - 1 < need && isContinuation(bytes[j])) j++
    if (j - i - 1 === need && need <= 3) {
      let cp = lead & (0x7f >> (need + 1))
      for (let k = i + 1; k < j; k++) cp = (cp << 6) | ((bytes[k] as number) & 0x3f)
      const valid =
        cp >= (MIN_OF_LENGTH[need] as number) && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)
      out += valid ? String.fromCodePoint(cp) : REPLACEMENT
    } else out += REPLACEMENT
    i = j
  }
  return out
}
