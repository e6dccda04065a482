import { describe, expect, it } from 'vitest'
import { splitCsvLine } from './csv-line.ts'

describe('splitCsvLine', () => {
  it('splits plain and quoted fields', () => {
    expect(splitCsvLine('a,b,,c')).toEqual(['a', 'b', '', 'c'])
    expect(splitCsvLine('"2024-02-08 19:20:49","85.239.243.155","5000"')).toEqual([
      '2024-02-08 19:20:49',
      '85.239.243.155',
      '5000',
    ])
    expect(splitCsvLine('"a, b","say ""hi"""')).toEqual(['a, b', 'say "hi"'])
  })
  it('refuses unbalanced quotes', () => {
    expect(splitCsvLine('"open,field')).toBeUndefined()
  })
})
