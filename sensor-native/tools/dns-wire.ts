/** Minimal DNS messages for synthetic flows: one A question, and its answer. */
export function dnsQuery(id: number, name: string): Uint8Array {
  return Uint8Array.from([
    id >> 8,
    id & 0xff,
    0x01,
    0x00,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    ...qname(name),
    0,
    1,
    0,
    1,
  ])
}

export function dnsAnswer(id: number, name: string, address: number): Uint8Array {
  const header = [id >> 8, id & 0xff, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]
  const answer = [0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4]
  const addr = [address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff]
  return Uint8Array.from([...header, ...qname(name), 0, 1, 0, 1, ...answer, ...addr])
}

function qname(name: string): number[] {
  return [...name.split('.').flatMap((label) => [label.length, ...Buffer.from(label, 'ascii')]), 0]
}
