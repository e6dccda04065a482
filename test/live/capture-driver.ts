/**
 * Runs inside namespace `a` (`ip netns exec a node capture-driver.ts …`): opens two live sources
 * on the veth end, one without a filter and one with `--filter`, sends DNS queries, an HTTP
 * request and a TLS ClientHello to the peer, closes both sources and prints what each captured
 * as one JSON line: `{ "all": { events, stats }, "filtered": { events, stats } }`.
 */
import { createSocket } from 'node:dgram'
import { connect } from 'node:tls'
import { parseArgs } from 'node:util'
import { decodeBatch } from '@socbox/dsl/runtime'
import { type LiveSource, native } from '@socbox/sensor-native/native'

const { values } = parseArgs({
  options: {
    iface: { type: 'string' },
    peer: { type: 'string' },
    filter: { type: 'string' },
  },
})
const iface = values.iface as string
const peer = values.peer as string
const open = (filter?: string) =>
  new (native().LiveSource)(iface, filter ? { filter, plan: undefined } : {})
const all = open()
const filtered = open(values.filter)
const sources: [string, LiveSource][] = [
  ['all', all],
  ['filtered', filtered],
]
const events: Record<string, Record<string, unknown>[]> = { all: [], filtered: [] }
const drain = () => {
  for (const [name, s] of sources) {
    for (let b = s.nextBatch(1000); b; b = s.nextBatch(1000)) {
      const got = decodeBatch(b) as unknown as Record<string, unknown>[]
      if (got.length === 0) break
      events[name]?.push(...got)
    }
  }
}

function dnsQuery(id: number, name: string): Buffer {
  const labels = name
    .split('.')
    .map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]))
  return Buffer.concat([
    Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]),
    ...labels,
    Buffer.from([0, 0, 1, 0, 1]),
  ])
}

const udp = createSocket('udp4')
for (const [i, name] of ['live-one.example.org', 'live-two.example.net'].entries()) {
  await new Promise<void>((resolve, reject) =>
    udp.send(dnsQuery(0x4000 + i, name), 53, peer, (err) => (err ? reject(err) : resolve())),
  )
}
udp.close()
const res = await fetch(`http://${peer}:8080/live-check.txt`, {
  headers: { 'user-agent': 'socbox-live-test/1' },
})
await res.arrayBuffer()
await new Promise<void>((resolve) => {
  const s = connect({
    host: peer,
    port: 8443,
    servername: 'live-tls.example.com',
    rejectUnauthorized: false,
  })
  // The peer speaks plain HTTP on this port: the handshake fails after the ClientHello is out.
  s.on('error', () => resolve())
  s.on('close', () => resolve())
  s.setTimeout(2000, () => s.destroy())
})
// Blocks retire within 50 ms; give the ring a moment, reading as it fills.
for (let i = 0; i < 10; i++) {
  all.wait(50)
  drain()
}
for (const [, s] of sources) s.close()
drain()
process.stdout.write(
  `${JSON.stringify({
    all: { events: events.all, stats: all.stats() },
    filtered: { events: events.filtered, stats: filtered.stats() },
  })}\n`,
)
