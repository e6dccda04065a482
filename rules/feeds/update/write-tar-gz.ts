// Writes a gzipped ustar archive, for the tests of the archive feeds (no tar tool needed). Names
// longer than 100 bytes get a GNU long-name entry, as GNU tar writes them.
import { gzipSync } from 'node:zlib'

function header(name: string, size: number, type: string): Uint8Array {
  const h = new Uint8Array(512)
  const put = (value: string, at: number) => h.set(new TextEncoder().encode(value), at)
  put(name.slice(0, 100), 0)
  put('0000644\0', 100)
  put('0000000\0', 108)
  put('0000000\0', 116)
  put(`${size.toString(8).padStart(11, '0')}\0`, 124)
  put('00000000000\0', 136)
  put('        ', 148)
  put(type, 156)
  put('ustar\0', 257)
  put('00', 263)
  const sum = h.reduce((a, b) => a + b, 0)
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  return h
}

function padded(data: Uint8Array): Uint8Array[] {
  const pad = (512 - (data.length % 512)) % 512
  return [data, new Uint8Array(pad)]
}

export function writeTarGz(entries: { name: string; data: string | Uint8Array; type?: string }[]) {
  const parts: Uint8Array[] = []
  for (const e of entries) {
    const data = typeof e.data === 'string' ? new TextEncoder().encode(e.data) : e.data
    if (e.name.length > 100) {
      const long = new TextEncoder().encode(`${e.name}\0`)
      parts.push(header('././@LongLink', long.length, 'L'), ...padded(long))
    }
    parts.push(header(e.name, data.length, e.type ?? '0'), ...padded(data))
  }
  parts.push(new Uint8Array(1024))
  return gzipSync(Buffer.concat(parts))
}
