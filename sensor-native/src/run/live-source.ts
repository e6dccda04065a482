/**
 * A network interface read live by the native sensor (AF_PACKET with a TPACKET_V3 ring, an
 * optional BPF filter). Batches hold what has arrived, possibly nothing; a live source has no
 * position to resume at (a restart captures what comes from then on). Stopping closes the ring
 * so that the flows still open end and their events go out with the last batches.
 */
import { type LiveOptions, native } from '../native.ts'
import { type BatchSource, SourceError } from './batch-source.ts'

export function openInterface(name: string, options: LiveOptions): BatchSource {
  let source: ReturnType<typeof open>
  try {
    source = open(name, options)
  } catch (err) {
    throw new SourceError((err as Error).message)
  }
  return {
    nextBatch: (max) => source.nextBatch(max),
    stats: () => {
      const st = source.stats()
      return {
        packets: st.packets,
        bytes: st.bytes,
        malformed: st.malformed,
        events: st.events,
        offset: 0,
        size: 0,
        kernelDrops: st.kernelDrops,
        linktype: st.linktype,
        appDropped: st.appDropped,
        encrypted: st.encrypted,
      }
    },
    setPlan: (planJson) => source.setPlan(planJson),
    live: { close: () => source.close() },
  }
}

function open(name: string, options: LiveOptions) {
  return new (native().LiveSource)(name, options)
}
