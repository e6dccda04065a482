/**
 * Streams a classic pcap file (Ethernet, microsecond timestamps) with bounded memory: records are
 * reserved in one of a few shared buffers and their frame bytes written straight into it (no copy
 * per packet); a full buffer goes to a worker thread that writes it to disk while the next one
 * fills, so making packets and waiting for the disk overlap (on this VM the disk, not the CPU, sets
 * the pace: performance.md).
 */
import { closeSync } from 'node:fs'
import { Worker } from 'node:worker_threads'

export const LINKTYPE_ETHERNET = 1
export const SNAPLEN = 262_144
const BUFFERS = 4
const FREE = 0
const QUEUED = 1
const FAILED = 2

export type PcapWriter = {
  /** The buffer that record() returns offsets into; valid until the next record(). */
  readonly buffer: Buffer
  /** Reserves a record; returns the offset in `buffer` where its `caplen` frame bytes go. */
  record(tsUs: number, caplen: number, origLen: number): number
  /** Bytes of the file so far, including those not yet on disk. */
  size(): number
  /** Writes what is left and closes the file; throws if any write failed. */
  close(): void
}

// The worker only writes buffers it is told about and marks them free again.
const WRITER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const { writeSync } = require('node:fs')
const { fd, buffers, state } = workerData
parentPort.on('message', ({ index, length }) => {
  try {
    const bytes = new Uint8Array(buffers[index], 0, length)
    let done = 0
    while (done < length) done += writeSync(fd, bytes, done, length - done)
    Atomics.store(state, index, ${FREE})
  } catch {
    Atomics.store(state, index, ${FAILED})
  }
  Atomics.notify(state, index)
})
`

export function pcapWriter(fd: number, chunkBytes = 8 << 20): PcapWriter {
  const size = Math.max(chunkBytes, SNAPLEN + 16)
  const shared = Array.from({ length: BUFFERS }, () => new SharedArrayBuffer(size))
  const views = shared.map((b) => Buffer.from(b))
  const state = new Int32Array(new SharedArrayBuffer(4 * BUFFERS))
  const worker = new Worker(WRITER_THREAD, {
    eval: true,
    workerData: { fd, buffers: shared, state },
  })
  worker.unref()
  let current = 0
  let buffer = views[0] as Buffer
  let pos = 0
  let handedOver = 0

  const waitFree = (index: number) => {
    while (Atomics.load(state, index) === QUEUED) Atomics.wait(state, index, QUEUED)
    if (Atomics.load(state, index) === FAILED) throw new Error('writing the capture file failed')
  }
  const handOver = () => {
    Atomics.store(state, current, QUEUED)
    worker.postMessage({ index: current, length: pos })
    handedOver += pos
    current = (current + 1) % BUFFERS
    waitFree(current)
    buffer = views[current] as Buffer
    pos = 0
  }

  buffer.writeUInt32LE(0xa1b2c3d4, 0)
  buffer.writeUInt16LE(2, 4)
  buffer.writeUInt16LE(4, 6)
  buffer.writeInt32LE(0, 8)
  buffer.writeUInt32LE(0, 12)
  buffer.writeUInt32LE(SNAPLEN, 16)
  buffer.writeUInt32LE(LINKTYPE_ETHERNET, 20)
  pos = 24
  return {
    get buffer() {
      return buffer
    },
    record(tsUs, caplen, origLen) {
      if (caplen > SNAPLEN)
        throw new Error(`a frame of ${caplen} bytes is over the snap length ${SNAPLEN}`)
      if (pos + 16 + caplen > buffer.length) handOver()
      const sec = Math.floor(tsUs / 1_000_000)
      buffer.writeUInt32LE(sec, pos)
      buffer.writeUInt32LE(tsUs - sec * 1_000_000, pos + 4)
      buffer.writeUInt32LE(caplen, pos + 8)
      buffer.writeUInt32LE(Math.max(origLen, caplen), pos + 12)
      pos += 16 + caplen
      return pos - caplen
    },
    size: () => handedOver + pos,
    close() {
      if (pos > 0) handOver()
      for (let i = 0; i < BUFFERS; i++) waitFree(i)
      void worker.terminate()
      closeSync(fd)
    },
  }
}
