/** Small captures made on the spot for tests of the generator. */
import { mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { udpFrameLength, writeUdp } from './packet-build.ts'
import { pcapWriter } from './pcap-write.ts'

/** A capture of UDP packets 10.0.0.1 → 192.0.2.1 at the given times (µs). */
export function udpCapture(times: number[]): Uint8Array {
  const path = join(mkdtempSync(join(tmpdir(), 'tile-')), 'c.pcap')
  const w = pcapWriter(openSync(path, 'w'))
  for (const t of times) {
    const payload = Uint8Array.of(1, 2, 3, 4)
    const at = w.record(t, udpFrameLength(4), udpFrameLength(4))
    writeUdp(
      w.buffer,
      at,
      { src: 0x0a000001, dst: 0xc0000201, sport: 1000, dport: 2000, toServer: true },
      payload,
      1,
    )
  }
  w.close()
  return readFileSync(path)
}
