/**
 * Writes Ethernet/IPv4/TCP and Ethernet/IPv4/UDP frames with correct checksums straight into a
 * buffer (the pcap writer's), for synthetic flows and for tests that need exact packets.
 */
import { checksumOf, wordSum } from './checksum.ts'

export const TCP_FIN = 0x01
export const TCP_SYN = 0x02
export const TCP_RST = 0x04
export const TCP_PSH = 0x08
export const TCP_ACK = 0x10

const CLIENT_MAC = Uint8Array.of(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01)
const SERVER_MAC = Uint8Array.of(0x02, 0x00, 0x5e, 0x10, 0x00, 0x02)

export type Endpoints = {
  src: number
  dst: number
  sport: number
  dport: number
  toServer: boolean
}
export type TcpSegment = { seq: number; ack: number; flags: number; payload: Uint8Array }

export const ETH_IPV4 = 14 + 20
export const tcpFrameLength = (payload: number) => ETH_IPV4 + 20 + payload
export const udpFrameLength = (payload: number) => ETH_IPV4 + 8 + payload

function ethernetIpv4(
  buf: Uint8Array,
  at: number,
  e: Endpoints,
  proto: number,
  l4Length: number,
  id: number,
) {
  buf.set(e.toServer ? SERVER_MAC : CLIENT_MAC, at)
  buf.set(e.toServer ? CLIENT_MAC : SERVER_MAC, at + 6)
  buf[at + 12] = 0x08
  buf[at + 13] = 0x00
  const ip = at + 14
  const total = 20 + l4Length
  buf.set(
    [0x45, 0, total >> 8, total & 0xff, (id >> 8) & 0xff, id & 0xff, 0x40, 0, 64, proto, 0, 0],
    ip,
  )
  writeU32(buf, ip + 12, e.src)
  writeU32(buf, ip + 16, e.dst)
  const sum = checksumOf(wordSum(buf, ip, ip + 20))
  buf[ip + 10] = sum >> 8
  buf[ip + 11] = sum & 0xff
}

function writeU32(buf: Uint8Array, at: number, v: number) {
  buf[at] = v >>> 24
  buf[at + 1] = (v >>> 16) & 0xff
  buf[at + 2] = (v >>> 8) & 0xff
  buf[at + 3] = v & 0xff
}

function pseudoSum(e: Endpoints, proto: number, length: number): number {
  return (e.src >>> 16) + (e.src & 0xffff) + (e.dst >>> 16) + (e.dst & 0xffff) + proto + length
}

/** Writes the frame at `at`; returns its length. */
export function writeTcp(
  buf: Uint8Array,
  at: number,
  e: Endpoints,
  s: TcpSegment,
  id: number,
): number {
  const l4Length = 20 + s.payload.length
  ethernetIpv4(buf, at, e, 6, l4Length, id)
  const t = at + ETH_IPV4
  buf[t] = e.sport >> 8
  buf[t + 1] = e.sport & 0xff
  buf[t + 2] = e.dport >> 8
  buf[t + 3] = e.dport & 0xff
  writeU32(buf, t + 4, s.seq >>> 0)
  writeU32(buf, t + 8, s.ack >>> 0)
  buf[t + 12] = 0x50 // 20-byte header
  buf[t + 13] = s.flags
  buf[t + 14] = 0xfa // window 64240
  buf[t + 15] = 0xf0
  buf[t + 16] = 0
  buf[t + 17] = 0
  buf[t + 18] = 0
  buf[t + 19] = 0
  buf.set(s.payload, t + 20)
  const sum = checksumOf(pseudoSum(e, 6, l4Length) + wordSum(buf, t, t + l4Length))
  buf[t + 16] = sum >> 8
  buf[t + 17] = sum & 0xff
  return ETH_IPV4 + l4Length
}

export function writeUdp(
  buf: Uint8Array,
  at: number,
  e: Endpoints,
  payload: Uint8Array,
  id: number,
): number {
  const l4Length = 8 + payload.length
  ethernetIpv4(buf, at, e, 17, l4Length, id)
  const u = at + ETH_IPV4
  buf.set(
    [
      e.sport >> 8,
      e.sport & 0xff,
      e.dport >> 8,
      e.dport & 0xff,
      l4Length >> 8,
      l4Length & 0xff,
      0,
      0,
    ],
    u,
  )
  buf.set(payload, u + 8)
  const sum = checksumOf(pseudoSum(e, 17, l4Length) + wordSum(buf, u, u + l4Length)) || 0xffff
  buf[u + 6] = sum >> 8
  buf[u + 7] = sum & 0xff
  return ETH_IPV4 + l4Length
}
