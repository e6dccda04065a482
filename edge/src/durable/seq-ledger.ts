/**
 * Which batches of one agent run (boot) have been durably handled. `contiguous` is the highest
 * seq such that every seq from 0 to it is handled (-1: none yet); `above` holds handled seqs
 * past a hole. The edge acknowledges `contiguous` only, so an agent can drop exactly what is
 * safe to drop; the holes are the gaps it still owes.
 */
export type Ledger = { contiguous: number; above: number[] }

/** Out-of-order seqs kept per boot; beyond this the agent is too far ahead (overload). */
export const MAX_AHEAD = 4096

export function emptyLedger(): Ledger {
  return { contiguous: -1, above: [] }
}

export function isHandled(ledger: Ledger, seq: number): boolean {
  return seq <= ledger.contiguous || ledger.above.includes(seq)
}

/** Records `seq` as handled and advances the contiguous mark over any holes it closes. */
export function markHandled(ledger: Ledger, seq: number): Ledger {
  if (isHandled(ledger, seq)) return ledger
  const above = [...ledger.above, seq].sort((a, b) => a - b)
  let contiguous = ledger.contiguous
  while (above[0] === contiguous + 1) {
    contiguous++
    above.shift()
  }
  return { contiguous, above }
}

/** The missing seqs below the highest handled one (at most `limit` of them, oldest first). */
export function gaps(ledger: Ledger, limit = 100): number[] {
  const out: number[] = []
  let expected = ledger.contiguous + 1
  for (const seq of ledger.above) {
    for (; expected < seq && out.length < limit; expected++) out.push(expected)
    expected = seq + 1
    if (out.length >= limit) break
  }
  return out
}

export function tooFarAhead(ledger: Ledger, seq: number): boolean {
  return seq - ledger.contiguous > MAX_AHEAD
}
