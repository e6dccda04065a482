import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { expect, it } from 'vitest'
import { dataRoot, missingData } from './paths.ts'

it('says where the shared captures were looked for when they are not there', () => {
  expect(missingData(dataRoot)).toBeUndefined()
  const empty = mkdtempSync(`${tmpdir()}/no-data-`)
  expect(missingData(empty)).toMatch(/SOCBOX_DATA/)
})
