/**
 * A shared capture prepared for tiling: its packets as templates (frame-template.ts) with times
 * relative to its first packet. Times never go backwards (some captures do) and long silences are
 * shortened to MAX_GAP_US, so that a tile of a capture that idles for an hour does not stretch
 * the generated file's time span without adding traffic.
 */
import { readFileSync } from 'node:fs'
import { type FrameTemplate, frameTemplate } from './frame-template.ts'
import { type AddressSlots, addressSlots } from './patch-list.ts'
import { readCapture } from './pcap-read.ts'

export const MAX_GAP_US = 1_000_000

export type TileSource = {
  name: string
  templates: FrameTemplate[]
  /** Microseconds since the first packet, one per template, never decreasing. */
  offsetsUs: number[]
  slots: AddressSlots
  /** Bytes one tile adds to a pcap file (record headers included). */
  bytes: number
  /** Packets left out because their link type carries no IP. */
  skipped: number
}

export function tileSource(name: string, file: Uint8Array): TileSource | Error {
  const packets = readCapture(file)
  if (packets instanceof Error) return new Error(`${name}: ${packets.message}`)
  const slots = addressSlots()
  const templates: FrameTemplate[] = []
  const offsetsUs: number[] = []
  let bytes = 0
  let skipped = 0
  let previous: number | undefined
  let offset = 0
  for (const p of packets) {
    const t = frameTemplate(p, slots)
    if (!t) {
      skipped += 1
      continue
    }
    if (previous !== undefined) offset += Math.min(MAX_GAP_US, Math.max(0, p.tsUs - previous))
    previous = p.tsUs
    templates.push(t)
    offsetsUs.push(offset)
    bytes += 16 + t.frame.length
  }
  if (templates.length === 0)
    return new Error(`${name}: no packet with IP or ARP over a known link type`)
  return { name, templates, offsetsUs, slots, bytes, skipped }
}

export function loadTileSource(name: string, path: string): TileSource | Error {
  return tileSource(name, readFileSync(path))
}
