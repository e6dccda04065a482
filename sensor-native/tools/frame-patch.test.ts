import { describe, expect, it } from 'vitest'
import { checksumOf, fold, wordSum } from './checksum.ts'
import { dnsAnswer } from './dns-wire.ts'
import { applyPatches } from './frame-patch.ts'
import { frameTemplate } from './frame-template.ts'
import { udpFrameLength, writeUdp } from './packet-build.ts'
import { addressSlots } from './patch-list.ts'
import { seededRandom } from './seeded-random.ts'
import { tileAddresses } from './tile-addresses.ts'

const ip = (s: string) => s.split('.').reduce((n, x) => n * 256 + Number(x), 0)

/** A DNS response from 8.8.8.8 to 10.0.0.5 answering `name` with 93.184.216.34. */
function response(name: string): Uint8Array {
  const payload = dnsAnswer(0x1234, name, ip('93.184.216.34'))
  const frame = new Uint8Array(udpFrameLength(payload.length))
  const e = { src: ip('8.8.8.8'), dst: ip('10.0.0.5'), sport: 53, dport: 40000, toServer: false }
  writeUdp(frame, 0, e, payload, 1)
  return frame
}

function udpChecksumHolds(frame: Uint8Array): boolean {
  const length = frame.length - 34
  const pseudo = wordSum(frame, 26, 34) + 17 + length
  return checksumOf(pseudo + wordSum(frame, 34, frame.length)) === 0
}

describe('a rewritten DNS response', () => {
  // name lengths that put the answer's address at an even and at an odd offset in the UDP payload
  it.each(['ab.example', 'abc.example'])(
    'answers with a tile address and keeps its checksum (%s)',
    (name) => {
      const original = response(name)
      expect(udpChecksumHolds(original)).toBe(true)
      const slots = addressSlots()
      const template = frameTemplate(
        { linktype: 1, tsUs: 0, data: original, origLen: original.length },
        slots,
      )
      if (!template) throw new Error('no template')
      const tile = tileAddresses(slots, seededRandom(1, 'tile'))
      const copy = Uint8Array.from(template.frame)
      applyPatches(copy, 0, template.patches, tile)
      const answer = [...copy.subarray(copy.length - 4)].join('.')
      expect(answer).not.toBe('93.184.216.34')
      expect(slots.addresses.map((a) => [...a].join('.'))).toContain('93.184.216.34')
      expect(udpChecksumHolds(copy)).toBe(true)
      expect(fold(wordSum(copy, 14, 34))).toBe(0xffff) // the IPv4 header checksum too
    },
  )
})
