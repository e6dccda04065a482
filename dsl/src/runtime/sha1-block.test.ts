import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sha1Block } from './sha1-block.ts'

/** The message padded into one block (FIPS 180-4 §5.1.1), as 16 big-endian words. */
function padded(message: Uint8Array): Int32Array {
  const bytes = new Uint8Array(64)
  bytes.set(message)
  bytes[message.length] = 0x80
  new DataView(bytes.buffer).setUint32(60, message.length * 8)
  const view = new DataView(bytes.buffer)
  return Int32Array.from({ length: 16 }, (_, i) => view.getInt32(i * 4))
}

function hex(words: Int32Array): string {
  return Array.from(words, (word) => (word >>> 0).toString(16).padStart(8, '0')).join('')
}

describe('sha1Block', () => {
  it('is the SHA-1 of every message that fits one block (0 to 55 bytes)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 55 }), (message) => {
        const out = new Int32Array(5)
        sha1Block(padded(message), out)
        expect(hex(out)).toBe(createHash('sha1').update(message).digest('hex'))
      }),
      { numRuns: 500 },
    )
  })

  it('gives the standard vector for "abc"', () => {
    const out = new Int32Array(5)
    sha1Block(padded(new TextEncoder().encode('abc')), out)
    expect(hex(out)).toBe('a9993e364706816aba3e25717850c26c9cd0d89d')
  })
})
