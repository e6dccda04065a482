import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { classifyTrailFile } from '../maltrail/trail-classes.ts'
import { INTEL } from '../testing/shared-data.ts'
import { isListClass } from './classes.ts'

describe('isListClass', { timeout: 60_000 }, () => {
  it('accepts threat ids and info.* only', () => {
    expect(isListClass('malware.c2')).toBe(true)
    expect(isListClass('info.unconfirmed.malware.c2')).toBe(true)
    expect(isListClass('malware.cnc')).toBe(false)
    expect(isListClass('info.')).toBe(false)
    expect(isListClass('intel.feed')).toBe(false) // a health class, never a list
  })
  it('holds for every real Maltrail trail file', () => {
    const root = `${INTEL}/maltrail/trails/static`
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.txt'),
    )
    expect(files.length).toBe(2921) // 2761 malware + 128 malicious + 30 suspicious + 2 mass scanner
    const bad = files
      .map((f) => [f, classifyTrailFile(f).class])
      .filter(([, cls]) => !isListClass(cls ?? ''))
    expect(bad).toEqual([])
  })
})
