import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { dataRoot } from './paths.ts'
import { sha256File } from './sha256-file.ts'

it('matches the sha256 that EXPECTED.tsv records for a capture', () => {
  const [header, ...rows] = readFileSync(join(dataRoot, 'EXPECTED.tsv'), 'utf8').split('\n')
  const cols = (header ?? '').split('\t')
  const row = (rows[0] ?? '').split('\t')
  const path = row[cols.indexOf('path')] ?? ''
  expect(sha256File(join(dataRoot, path))).toBe(row[cols.indexOf('sha256')])
})
