import { describe, expect, it } from 'vitest'
import { dataTimeOfText, parseTimeFile } from './data-time.ts'

describe('data time of feeds', () => {
  it('reads abuse.ch headers and ET metadata, taking the newest', () => {
    expect(dataTimeOfText('# Last updated: 2024-04-04 07:03:03 UTC   #\n1.2.3.4')).toBe(
      Date.parse('2024-04-04T07:03:03Z'),
    )
    expect(
      dataTimeOfText(
        'alert … metadata:created_at 2010_09_23, updated_at 2019_07_26;)\nalert … updated_at 2025_07_28;)',
      ),
    ).toBe(Date.parse('2025-07-28T00:00:00Z'))
    expect(dataTimeOfText('example.com\n')).toBeUndefined()
  })
  it('reads `date` output with zone names and ISO times', () => {
    expect(parseTimeFile('Tue Feb 27 09:27:52 IST 2024\n')).toBe(Date.parse('2024-02-27T03:57:52Z'))
    expect(parseTimeFile('2024-02-27T03:57:52Z')).toBe(Date.parse('2024-02-27T03:57:52Z'))
    expect(parseTimeFile('Tue Feb 27 09:27:52 XYZ 2024')).toBeUndefined()
    expect(parseTimeFile('yesterday')).toBeUndefined()
  })
})
