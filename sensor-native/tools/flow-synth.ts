/**
 * Many distinct short flows, for the flow-table benchmark: half TCP (handshake, an HTTP request
 * and response, FIN both ways: 8 packets), half UDP (a DNS query and its answer). Each flow has its
 * own 5-tuple: 50,000 internal clients, each using successive source ports, talk to a seeded pool
 * of public servers. Flows run in batches of BATCH at once, so the sensor holds that many open TCP
 * flows and every UDP flow until its idle timeout: the table is under pressure as on a busy link.
 */
import { isPublicIpv4 } from './address-map.ts'
import { dnsAnswer, dnsQuery } from './dns-wire.ts'
import { START_US } from './mixed-writer.ts'
import {
  type Endpoints,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_SYN,
  type TcpSegment,
  tcpFrameLength,
  udpFrameLength,
  writeTcp,
  writeUdp,
} from './packet-build.ts'
import type { PcapWriter } from './pcap-write.ts'
import { seededRandom } from './seeded-random.ts'

const CLIENTS = 50_000
const SERVERS = 4096
export const BATCH = 65_536
const TCP_STEPS = 8
/** Capture time between two packets: 1M flows (~5M packets) span about 10 s. */
const PACKET_SPACING_US = 2

export type FlowOptions = {
  flows: number
  seed: number
  batch?: number
  /** Called now and then with the file size so far and the share of flows written. */
  onProgress?: (bytes: number, shareDone: number) => void
}
export type FlowResult = { flows: number; packets: number; bytes: number }

const RESPONSE = Buffer.from(
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello',
)

const mix = (x: number) => {
  let h = Math.imul(x ^ (x >>> 16), 0x45d9f3b)
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b)
  return (h ^ (h >>> 16)) >>> 0
}

export function writeFlows(writer: PcapWriter, o: FlowOptions): FlowResult {
  const random = seededRandom(o.seed, 'flows')
  const servers = Uint32Array.from({ length: SERVERS }, () => {
    for (;;) {
      const ip = random.u32()
      if (isPublicIpv4(ip)) return ip
    }
  })
  const clientBase = random.u32() & 0xffffff
  const portBase = random.below(20_000)
  const salt = random.u32()
  const batch = o.batch ?? BATCH
  let packets = 0

  const endpoints = (f: number, toServer: boolean): Endpoints => {
    const client =
      (0x0a000000 | ((Math.imul(f % CLIENTS, 0x9e3779b1) + clientBase) & 0xffffff)) >>> 0
    const port = 1024 + ((portBase + Math.floor(f / CLIENTS)) % 64_000)
    const server = servers[mix(f ^ salt) % SERVERS] as number
    const serverPort = f % 2 === 0 ? 80 : 53
    return toServer
      ? { src: client, dst: server, sport: port, dport: serverPort, toServer }
      : { src: server, dst: client, sport: serverPort, dport: port, toServer }
  }

  const empty = new Uint8Array(0)
  const requestOf = (f: number) =>
    `GET /item/${f} HTTP/1.1\r\nHost: site${f % 997}.example\r\nUser-Agent: socbox-gen/1\r\nAccept: */*\r\n\r\n`

  /** Packet `step` of TCP flow `f`: only what that packet needs is computed. */
  const emitTcp = (f: number, step: number) => {
    const isnC = mix(f + salt)
    const isnS = mix(f ^ 0x5bd1e995 ^ salt)
    // the request is ASCII: its length in bytes is its length in characters
    const request = step === 3 ? Buffer.from(requestOf(f), 'latin1') : undefined
    const afterRequest = isnC + 1 + (step >= 4 ? requestOf(f).length : 0)
    const afterResponse = isnS + 1 + RESPONSE.length
    let up = true
    let seg: TcpSegment
    switch (step) {
      case 0:
        seg = { seq: isnC, ack: 0, flags: TCP_SYN, payload: empty }
        break
      case 1:
        up = false
        seg = { seq: isnS, ack: isnC + 1, flags: TCP_SYN | TCP_ACK, payload: empty }
        break
      case 2:
        seg = { seq: isnC + 1, ack: isnS + 1, flags: TCP_ACK, payload: empty }
        break
      case 3:
        seg = { seq: isnC + 1, ack: isnS + 1, flags: TCP_PSH | TCP_ACK, payload: request ?? empty }
        break
      case 4:
        up = false
        seg = { seq: isnS + 1, ack: afterRequest, flags: TCP_PSH | TCP_ACK, payload: RESPONSE }
        break
      case 5:
        seg = { seq: afterRequest, ack: afterResponse, flags: TCP_FIN | TCP_ACK, payload: empty }
        break
      case 6:
        up = false
        seg = {
          seq: afterResponse,
          ack: afterRequest + 1,
          flags: TCP_FIN | TCP_ACK,
          payload: empty,
        }
        break
      default:
        seg = { seq: afterRequest + 1, ack: afterResponse + 1, flags: TCP_ACK, payload: empty }
    }
    const length = tcpFrameLength(seg.payload.length)
    const at = writer.record(START_US + packets * PACKET_SPACING_US, length, length)
    writeTcp(writer.buffer, at, endpoints(f, up), seg, packets & 0xffff)
  }

  const emitUdp = (f: number, step: number) => {
    const name = `q${f}.example.net`
    const id = mix(f ^ salt) & 0xffff
    const payload =
      step === 0 ? dnsQuery(id, name) : dnsAnswer(id, name, servers[f % SERVERS] as number)
    const length = udpFrameLength(payload.length)
    const at = writer.record(START_US + packets * PACKET_SPACING_US, length, length)
    writeUdp(writer.buffer, at, endpoints(f, step === 0), payload, packets & 0xffff)
  }

  for (let first = 0; first < o.flows; first += batch) {
    const last = Math.min(o.flows, first + batch)
    for (let step = 0; step < TCP_STEPS; step++) {
      for (let f = first; f < last; f++) {
        if (f % 2 === 0) emitTcp(f, step)
        else if (step < 2) emitUdp(f, step)
        else continue
        packets += 1
        if ((packets & 0x3fff) === 0) {
          // earlier batches, plus the steps of this batch done so far
          const batchShare = (step + (f - first) / (last - first)) / TCP_STEPS
          o.onProgress?.(writer.size(), (first + batchShare * (last - first)) / o.flows)
        }
      }
    }
  }
  return { flows: o.flows, packets, bytes: writer.size() }
}
