import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeBatch } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { openEventsFile } from './events-file-source.ts'

const ev = (i: number) => ({ kind: 'dns', ts: 1000 + i, query: `q${i}.example` })

function file(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'socbox-events-')), 'e.ndjson')
  writeFileSync(path, lines.join('\n'))
  return path
}

describe('events file source', () => {
  it('hands out wire batches and resumes at a saved offset without repeating an event', () => {
    const path = file([0, 1, 2, 3, 4].map((i) => JSON.stringify(ev(i))))
    const first = openEventsFile(path)
    expect(decodeBatch(first.nextBatch(2) as Buffer).map((e) => e.query)).toEqual([
      'q0.example',
      'q1.example',
    ])
    const saved = first.stats().offset
    const resumed = openEventsFile(path, saved)
    const rest = decodeBatch(resumed.nextBatch(10) as Buffer).map((e) => e.query)
    expect(rest).toEqual(['q2.example', 'q3.example', 'q4.example'])
    expect(resumed.nextBatch(10)).toBeNull()
    expect(resumed.stats()).toMatchObject({ events: 3, offset: resumed.stats().size })
  })

  it('names the line that is not JSON, and refuses an offset past the end', () => {
    const path = file([JSON.stringify(ev(0)), '{oops'])
    expect(() => openEventsFile(path).nextBatch(10)).toThrow(/line 2 .*not JSON/)
    expect(() => openEventsFile(path, 10_000)).toThrow(/shorter/)
  })
})
