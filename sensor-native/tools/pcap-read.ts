/**
 * A small reader for whole capture files in memory (the shared captures are at most a few MB):
 * classic pcap (either byte order, microsecond or nanosecond timestamps) and pcapng (sections of
 * either byte order, interfaces with their link types and timestamp resolutions; enhanced, simple
 * and obsolete packet blocks). Timestamps come out as integer microseconds since the epoch.
 */

export type CapturedPacket = {
  /** Link type of the packet's interface (1 Ethernet, 113 Linux SLL, 0 BSD loopback, …). */
  linktype: number
  tsUs: number
  /** The captured bytes (a view into the file's buffer). */
  data: Uint8Array
  /** The packet's length on the wire; more than data.length when the capture cut it. */
  origLen: number
}

export function readCapture(file: Uint8Array): CapturedPacket[] | Error {
  if (file.length < 4) return new Error('too short for a capture file')
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  const magic = view.getUint32(0, false)
  if (magic === 0x0a0d0d0a) return readPcapng(file, view)
  if ([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(magic)) return readPcap(file, view)
  return new Error(`not a pcap or pcapng file (magic 0x${magic.toString(16)})`)
}

function readPcap(file: Uint8Array, view: DataView): CapturedPacket[] | Error {
  if (file.length < 24) return new Error('pcap header cut short')
  const magic = view.getUint32(0, false)
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1
  const nanos = magic === 0xa1b23c4d || magic === 0x4d3cb2a1
  const linktype = view.getUint32(20, le) & 0x0fffffff // the top bits may carry FCS information
  const packets: CapturedPacket[] = []
  let at = 24
  while (at + 16 <= file.length) {
    const sec = view.getUint32(at, le)
    const frac = view.getUint32(at + 4, le)
    const caplen = view.getUint32(at + 8, le)
    const origLen = view.getUint32(at + 12, le)
    if (at + 16 + caplen > file.length) return new Error(`record at offset ${at} runs past the end`)
    const tsUs = sec * 1_000_000 + (nanos ? Math.floor(frac / 1000) : frac)
    packets.push({ linktype, tsUs, data: file.subarray(at + 16, at + 16 + caplen), origLen })
    at += 16 + caplen
  }
  return packets
}

type Interface = { linktype: number; unitsPerSecond: number }

function readPcapng(file: Uint8Array, view: DataView): CapturedPacket[] | Error {
  const packets: CapturedPacket[] = []
  let le = true
  let interfaces: Interface[] = []
  let at = 0
  while (at + 12 <= file.length) {
    const type = view.getUint32(at, le)
    if (type === 0x0a0d0d0a) {
      const bom = view.getUint32(at + 8, true)
      if (bom === 0x1a2b3c4d) le = true
      else if (bom === 0x4d3c2b1a) le = false
      else return new Error(`section at offset ${at} has no valid byte-order magic`)
      interfaces = []
    }
    const length = view.getUint32(at + 4, le)
    if (length < 12 || length % 4 !== 0 || at + length > file.length) {
      return new Error(`block at offset ${at} has a bad length ${length}`)
    }
    const body = at + 8
    const end = at + length - 4
    if (type === 1) {
      interfaces.push({
        linktype: view.getUint16(body, le),
        unitsPerSecond: tsResolution(view, body + 8, end, le),
      })
    } else if (type === 6 || type === 2) {
      // enhanced (6) and obsolete (2) packet blocks differ only in the width of the interface id
      const iface = interfaces[type === 6 ? view.getUint32(body, le) : view.getUint16(body, le)]
      if (!iface) return new Error(`packet at offset ${at} names an undeclared interface`)
      const ts = view.getUint32(body + 4, le) * 2 ** 32 + view.getUint32(body + 8, le)
      const caplen = view.getUint32(body + 12, le)
      const origLen = view.getUint32(body + 16, le)
      if (body + 20 + caplen > end) return new Error(`packet at offset ${at} runs past its block`)
      packets.push({
        linktype: iface.linktype,
        tsUs: Math.floor((ts * 1_000_000) / iface.unitsPerSecond),
        data: file.subarray(body + 20, body + 20 + caplen),
        origLen,
      })
    } else if (type === 3) {
      // simple packet block: interface 0, no timestamp; keep the previous packet's time
      const iface = interfaces[0]
      if (!iface) return new Error(`packet at offset ${at} before any interface`)
      const origLen = view.getUint32(body, le)
      const caplen = Math.min(origLen, end - (body + 4))
      packets.push({
        linktype: iface.linktype,
        tsUs: packets.at(-1)?.tsUs ?? 0,
        data: file.subarray(body + 4, body + 4 + caplen),
        origLen,
      })
    }
    at += length
  }
  return packets
}

/** The if_tsresol option (code 9): 10^-n or 2^-n seconds; microseconds when absent. */
function tsResolution(view: DataView, at: number, end: number, le: boolean): number {
  while (at + 4 <= end) {
    const code = view.getUint16(at, le)
    const len = view.getUint16(at + 2, le)
    if (code === 0) break
    if (code === 9 && len >= 1) {
      const v = view.getUint8(at + 4)
      return v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v
    }
    at += 4 + Math.ceil(len / 4) * 4
  }
  return 1_000_000
}
