/**
 * Seeds the corpus of the frame-based fuzz targets (`pipeline_frames`, `pipeline_with_plan`) from
 * the shared captures: each input is a link-type byte, then up to 40 consecutive frames of one
 * capture as (u16 big-endian length, bytes), so the fuzzer starts from streams that reassemble
 * and sessions that form. Usage: `npx node sensor-native/tools/fuzz-seed.ts DIR`.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fuzzInput } from './fuzz-input.ts'
import { dataRoot, missingData } from './paths.ts'
import { readCapture } from './pcap-read.ts'

const RUN = 40
const RUNS_PER_CAPTURE = 3
const MAX_CAPTURE_BYTES = 1 << 20

function captures(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return captures(path)
    const small = statSync(path).size <= MAX_CAPTURE_BYTES
    return /\.pcap(ng)?$/.test(e.name) && small ? [path] : []
  })
}

{
  const out = process.argv[2]
  if (!out) throw new Error('usage: fuzz-seed.ts CORPUS_DIR')
  const missing = missingData()
  if (missing) throw new Error(missing)
  mkdirSync(out, { recursive: true })
  let written = 0
  for (const path of captures(dataRoot).sort()) {
    const packets = readCapture(readFileSync(path))
    if (packets instanceof Error) continue
    for (let k = 0; k < RUNS_PER_CAPTURE && k * RUN < packets.length; k++) {
      const input = fuzzInput(packets.slice(k * RUN, (k + 1) * RUN))
      if (!input) continue
      writeFileSync(join(out, `seed-${String(written).padStart(4, '0')}`), input)
      written++
    }
  }
  console.log(`${written} inputs from the shared captures in ${out}`)
}
