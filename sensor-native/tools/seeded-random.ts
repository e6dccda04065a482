/**
 * A small, fast, seeded generator (sfc32, seeded through splitmix32), so that the same seed and
 * stream name always give the same numbers on every machine and Node version; Math.random cannot
 * be seeded. Streams with different names are independent, so that one tile's choices do not shift
 * when another tile draws more numbers.
 */
export type Random = {
  /** A uint32. */
  u32(): number
  /** An integer in [0, n). */
  below(n: number): number
}

function splitmix32(state: number): () => number {
  let s = state >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** FNV-1a of the stream name mixed with the seed. */
function streamState(seed: number, stream: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0) ^ Math.floor(seed / 2 ** 32)
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193)
  return h >>> 0
}

export function seededRandom(seed: number, stream = ''): Random {
  const init = splitmix32(streamState(seed, stream))
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const u32 = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let i = 0; i < 12; i++) u32()
  return { u32, below: (n) => Math.floor((u32() / 2 ** 32) * n) }
}
