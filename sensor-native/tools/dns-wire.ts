/**
 * Minimal DNS messages for synthetic flows: one A question, and its answer (a pointer to the
 * question's name, TTL 3600, the address). Written byte by byte into one array: the flow
 * generator makes a million of them.
 */
export function dnsQuery(id: number, name: string): Uint8Array {
  const out = new Uint8Array(12 + name.length + 2 + 4)
  header(out, id, 0x0100, 0)
  const end = writeName(out, 12, name)
  out.set(A_IN, end)
  return out
}

export function dnsAnswer(id: number, name: string, address: number): Uint8Array {
  const question = 12 + name.length + 2 + 4
  const out = new Uint8Array(question + ANSWER.length + 4)
  header(out, id, 0x8180, 1)
  out.set(A_IN, writeName(out, 12, name))
  out.set(ANSWER, question)
  const at = question + ANSWER.length
  out[at] = address >>> 24
  out[at + 1] = (address >>> 16) & 0xff
  out[at + 2] = (address >>> 8) & 0xff
  out[at + 3] = address & 0xff
  return out
}

const A_IN = Uint8Array.of(0, 1, 0, 1)
const ANSWER = Uint8Array.of(0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4)

function header(out: Uint8Array, id: number, flags: number, answers: number): void {
  out[0] = id >> 8
  out[1] = id & 0xff
  out[2] = flags >> 8
  out[3] = flags & 0xff
  out[5] = 1 // one question
  out[7] = answers
}

/** Writes `name` as labels (ASCII) at `at`; returns the offset after the root label. */
function writeName(out: Uint8Array, at: number, name: string): number {
  let lengthAt = at
  let p = at + 1
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c === 0x2e) {
      out[lengthAt] = p - lengthAt - 1
      lengthAt = p
    } else out[p] = c
    p++
  }
  out[lengthAt] = p - lengthAt - 1
  out[p] = 0
  return p + 1
}
