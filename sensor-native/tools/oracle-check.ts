#!/usr/bin/env node
/**
 * `npx node sensor-native/tools/oracle-check.ts [CAPTURE…]`: prints socbox's differences from the
 * stored tshark answers, per capture of the dev set (or the captures given, as dev-set paths), with
 * each marked NEW, accepted (accepted.tsv) or open-bug (open-bugs.tsv). The test (oracle.test.ts) is the gate; this is for looking at a difference.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type AcceptedRow, parseAccepted, unexplained } from './accepted.ts'
import { devSet } from './dev-set.ts'
import { compareCapture, comparisonScope, emittedKinds, eventsOfAll } from './oracle.ts'
import { describeDifference } from './oracle-diff.ts'
import { dataRoot, oracleDir } from './paths.ts'

const asked = process.argv.slice(2)
const captures = asked.length > 0 ? asked : devSet(dataRoot)
const runs = await eventsOfAll(dataRoot, captures)
const { active, inactive } = comparisonScope(emittedKinds(runs.values()))
const read = (name: string) => parseAccepted(readFileSync(join(oracleDir, name), 'utf8')).rows
const accepted = read('accepted.tsv')
const openBugs = read('open-bugs.tsv')
let open = 0
for (const capture of captures) {
  const events = runs.get(capture)
  const differences =
    events === undefined || events instanceof Error
      ? (events ?? new Error('not run'))
      : compareCapture(join(dataRoot, capture), events, active, oracleDir)
  if (differences instanceof Error) {
    open += 1
    process.stdout.write(`${capture}: ERROR ${differences.message}\n`)
    continue
  }
  const notAccepted = unexplained(capture, differences, accepted, new Set<AcceptedRow>())
  const left = new Set(unexplained(capture, notAccepted, openBugs, new Set<AcceptedRow>()))
  open += left.size
  for (const d of differences) {
    const status = left.has(d) ? 'NEW' : notAccepted.includes(d) ? 'open-bug' : 'accepted'
    process.stdout.write(`${capture}\t${status}\t${describeDifference(d)}\n`)
  }
}
process.stdout.write(
  `compared: ${active.join(', ')}; not yet: ${inactive.join(', ') || 'none'}; ${open} new differences\n`,
)
process.exitCode = open > 0 ? 1 : 0
