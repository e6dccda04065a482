/** A capture file as batches of decoded events, read by the native sensor with a pack's match plan. */
import { decodeBatch, type RulePack, type SocEvent } from '@socbox/dsl/runtime'
import { type FileSource, native, type SourceOptions } from '../native.ts'

const EVENTS_PER_CALL = 4096

export type OpenedCapture =
  | { source: FileSource; batches: Iterable<SocEvent[]> }
  | { error: string }

export function openCapture(path: string, pack: RulePack, homeNets?: string[]): OpenedCapture {
  const options: SourceOptions = { plan: JSON.stringify(pack.plan) }
  if (homeNets) options.homeNets = homeNets
  let source: FileSource
  try {
    source = new (native().FileSource)(path, options)
  } catch (err) {
    return { error: (err as Error).message }
  }
  function* batches() {
    for (
      let batch = source.nextBatch(EVENTS_PER_CALL);
      batch;
      batch = source.nextBatch(EVENTS_PER_CALL)
    )
      yield decodeBatch(batch)
  }
  return { source, batches: batches() }
}
