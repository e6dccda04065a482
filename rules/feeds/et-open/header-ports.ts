// Ports of a Suricata rule header (`any`, `$HTTP_PORTS`, `443`, `[80,8080]`, `1024:`, `:1023`,
// `8000:8100`) → inclusive ranges for a content signature's `ports`; an empty list is any port.
// Variables stand for the site's own ports and are read as any; negations and variables inside
// lists cannot be expressed as ranges and are refused with a reason.

export type PortRange = [number, number]

export function parseHeaderPorts(text: string): PortRange[] | string {
  const t = text.trim()
  if (t === 'any' || /^\$\w+$/.test(t)) return []
  if (t.includes('!')) return `negated header port ${t}`
  const items = t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1).split(',') : [t]
  const ranges: PortRange[] = []
  for (const raw of items) {
    const item = raw.trim()
    if (item.startsWith('$')) return `header port list with a variable ${t}`
    const m = /^(\d*)(:?)(\d*)$/.exec(item)
    if (!m || (m[1] === '' && m[3] === '')) return `header port ${item} not understood`
    const lo = m[1] === '' ? 0 : Number(m[1])
    const hi = m[2] === '' ? lo : m[3] === '' ? 65535 : Number(m[3])
    if (lo > 65535 || hi > 65535 || lo > hi) return `header port ${item} out of range`
    ranges.push([lo, hi])
  }
  return ranges
}
