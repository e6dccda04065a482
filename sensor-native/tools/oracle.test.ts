/**
 * socbox against tshark over the whole dev set (issue 4 item 6). tshark's answers are stored in
 * sensor-native/oracle; this runs only `socbox events` per capture. Every difference must be
 * listed with its reason: in sensor-native/oracle/accepted.tsv when socbox is right or it does not
 * matter, in open-bugs.tsv when socbox is wrong (reported on every run until fixed).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type AcceptedRow, parseAccepted, unexplained } from './accepted.ts'
import { devSet } from './dev-set.ts'
import { compareCapture, comparisonScope, emittedKinds, eventsOfAll } from './oracle.ts'
import { type Difference, describeDifference, FIELDS_OF_KIND } from './oracle-diff.ts'
import { PENDING_KINDS } from './oracle-pending.ts'
import { dataRoot, oracleDir } from './paths.ts'

const captures = devSet(dataRoot)
const runs = await eventsOfAll(dataRoot, captures)
const { active, inactive } = comparisonScope(emittedKinds(runs.values()))
const accepted = parseAccepted(readFileSync(join(oracleDir, 'accepted.tsv'), 'utf8'))
const openBugs = parseAccepted(readFileSync(join(oracleDir, 'open-bugs.tsv'), 'utf8'))
const used = new Set<AcceptedRow>()
// Everything is compared up front, so that the checks on accepted.tsv and open-bugs.tsv below do
// not depend on which of the per-capture tests ran (a filtered run must not call rows stale).
const unexplainedByCapture = new Map<string, Difference[] | Error>(
  captures.map((capture): [string, Difference[] | Error] => {
    const events = runs.get(capture)
    if (events === undefined || events instanceof Error)
      return [capture, events ?? new Error('not run')]
    const differences = compareCapture(join(dataRoot, capture), events, active, oracleDir)
    if (differences instanceof Error) return [capture, differences]
    const notAccepted = unexplained(capture, differences, accepted.rows, used)
    return [capture, unexplained(capture, notAccepted, openBugs.rows, used)]
  }),
)
const stale = (rows: AcceptedRow[]) =>
  rows
    .filter((row) => !used.has(row))
    .map((r) => `line ${r.line}: ${r.capture} ${r.field} ${r.value}`)

describe('socbox events against tshark', () => {
  it.each(captures)('%s', (capture) => {
    const left = unexplainedByCapture.get(capture)
    if (left === undefined || left instanceof Error) throw left ?? new Error('not compared')
    expect(left.map(describeDifference), `compared: ${active.join(', ')}`).toEqual([])
  })
})

describe('what the oracle compares', () => {
  for (const kind of inactive) {
    it.skip(`${kind} (${FIELDS_OF_KIND[kind]?.join(', ')}): socbox emits no ${kind} events yet`, () => {})
  }

  it(`comparisons not yet active: ${inactive.join(', ') || 'none'}`, () => {
    if (inactive.length > 0) {
      console.warn(
        `oracle: not compared yet, socbox emits no events of kind ${inactive.join(', ')}`,
      )
    }
    expect(inactive, 'update oracle-pending.ts: a kind was added or lost').toEqual(PENDING_KINDS)
  })

  it('accepted.tsv is well formed and every row is still needed', () => {
    expect(accepted.errors).toEqual([])
    expect(stale(accepted.rows), 'accepted differences that no longer occur').toEqual([])
  })

  it(`open socbox bugs found by the oracle (open-bugs.tsv): ${openBugs.rows.length}`, () => {
    for (const row of openBugs.rows) {
      console.warn(
        `oracle: open socbox bug in ${row.capture}: ${row.field} ${row.value}: ${row.reason}`,
      )
    }
    expect(openBugs.errors).toEqual([])
    expect(stale(openBugs.rows), 'fixed: remove these rows from open-bugs.tsv').toEqual([])
  })
})
