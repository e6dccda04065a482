import { describe, expect, it } from 'vitest'
import { fuzzInput } from './fuzz-input.ts'
import type { CapturedPacket } from './pcap-read.ts'

const packet = (linktype: number, bytes: number[]): CapturedPacket => ({
  linktype,
  tsUs: 0,
  data: Uint8Array.from(bytes),
  origLen: bytes.length,
})

describe('fuzzInput', () => {
  it('writes the pick byte, then each frame with its big-endian length', () => {
    const input = fuzzInput([packet(1, [0xaa, 0xbb]), packet(1, [])])
    expect([...(input ?? [])]).toEqual([0, 0, 2, 0xaa, 0xbb, 0, 0])
  })

  it('picks the link type as the targets do, and keeps to the first packet’s', () => {
    const input = fuzzInput([packet(113, [1]), packet(1, [2]), packet(113, [3])])
    expect([...(input ?? [])]).toEqual([1, 0, 1, 1, 0, 1, 3])
    expect(fuzzInput([packet(105, [1])])).toBeUndefined()
    expect(fuzzInput([])).toBeUndefined()
  })

  it('cuts a frame to what a u16 length can say', () => {
    const input = fuzzInput([packet(101, new Array(70_000).fill(7))])
    expect(input?.length).toBe(1 + 2 + 0xffff)
    expect([...(input?.subarray(0, 3) ?? [])]).toEqual([3, 0xff, 0xff])
  })
})
