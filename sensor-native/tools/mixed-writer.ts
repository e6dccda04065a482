/**
 * Tiles shared captures into one long mixed capture. A few tiles play at once, as on a real link
 * several conversations overlap: each tile is one source capture, picked at random, with its own
 * fresh addresses and its own start time; packets of the playing tiles are merged by time, and a
 * finished tile is replaced by a new one starting a moment later. Everything is drawn from the
 * seed, so a seed gives the same bytes on every run.
 */
import { applyPatches, type TileAddresses } from './frame-patch.ts'
import type { PcapWriter } from './pcap-write.ts'
import { seededRandom } from './seeded-random.ts'
import { tileAddresses } from './tile-addresses.ts'
import type { TileSource } from './tile-source.ts'

/** 2025-01-01T00:00:00Z: the generated capture's first tile starts within a second of it. */
export const START_US = 1_735_689_600_000_000
export const CONCURRENT_TILES = 16
/** A new tile starts within this long after the one it replaces ended. */
const REPLACE_GAP_US = 50_000

export type MixedOptions = {
  sources: TileSource[]
  seed: number
  sizeBytes: number
  concurrentTiles?: number
  /** Called now and then with the file size so far. */
  onProgress?: (bytes: number) => void
}

export type MixedResult = {
  packets: number
  tiles: number
  bytes: number
  tilesBySource: Map<string, number>
}

type Tile = { source: TileSource; addresses: TileAddresses; startUs: number; next: number }

export function writeMixed(writer: PcapWriter, o: MixedOptions): MixedResult {
  if (o.sources.length === 0) throw new Error('no captures to tile')
  const plan = seededRandom(o.seed, 'plan')
  const tilesBySource = new Map<string, number>()
  let tiles = 0
  const newTile = (startUs: number): Tile => {
    const source = o.sources[plan.below(o.sources.length)] as TileSource
    tilesBySource.set(source.name, (tilesBySource.get(source.name) ?? 0) + 1)
    const addresses = tileAddresses(source.slots, seededRandom(o.seed, `tile ${tiles}`))
    tiles += 1
    return { source, addresses, startUs, next: 0 }
  }
  const k = o.concurrentTiles ?? CONCURRENT_TILES
  const playing = Array.from({ length: k }, () => newTile(START_US + plan.below(1_000_000)))
  const due = Float64Array.from(playing, (t) => t.startUs)
  let packets = 0
  while (writer.size() < o.sizeBytes) {
    let i = 0
    for (let j = 1; j < k; j++) if ((due[j] as number) < (due[i] as number)) i = j
    const tile = playing[i] as Tile
    const ts = due[i] as number
    const template = tile.source.templates[tile.next]
    if (template === undefined) throw new Error(`${tile.source.name}: tile ran past its end`)
    const at = writer.record(ts, template.frame.length, template.origLen)
    writer.buffer.set(template.frame, at)
    applyPatches(writer.buffer, at, template.patches, tile.addresses)
    packets += 1
    tile.next += 1
    if (tile.next < tile.source.templates.length) {
      due[i] = tile.startUs + (tile.source.offsetsUs[tile.next] as number)
    } else {
      const replacement = newTile(ts + plan.below(REPLACE_GAP_US))
      playing[i] = replacement
      due[i] = replacement.startUs
    }
    if ((packets & 0x3fff) === 0) o.onProgress?.(writer.size())
  }
  o.onProgress?.(writer.size())
  return { packets, tiles, bytes: writer.size(), tilesBySource }
}
