/**
 * One input of the frame-based fuzz targets (`pipeline_frames`, `pipeline_with_plan`): a byte
 * that picks the link type, then the frames as (u16 big-endian length, bytes).
 */
import type { CapturedPacket } from './pcap-read.ts'

/** Link types the targets pick with their first byte (`pick % 6` in `pipeline_frames`). */
const PICK: ReadonlyMap<number, number> = new Map([
  [1, 0], // Ethernet
  [113, 1], // Linux SLL
  [276, 2], // Linux SLL2
  [101, 3], // raw IP
  [0, 4], // BSD loopback
])

/** The fuzz input of `packets` (all of one link type), or undefined when the target has no pick for it. */
export function fuzzInput(packets: readonly CapturedPacket[]): Uint8Array | undefined {
  const linktype = packets[0]?.linktype
  const pick = linktype === undefined ? undefined : PICK.get(linktype)
  if (pick === undefined) return undefined
  const frames = packets
    .filter((p) => p.linktype === linktype)
    .map((p) => p.data.subarray(0, 0xffff))
  const out = new Uint8Array(1 + frames.reduce((n, f) => n + 2 + f.length, 0))
  out[0] = pick
  let at = 1
  for (const f of frames) {
    out[at] = f.length >> 8
    out[at + 1] = f.length & 0xff
    out.set(f, at + 2)
    at += 2 + f.length
  }
  return out
}
