import { expect, it } from 'vitest'
import { parseByteSize } from './byte-size.ts'

it('reads decimal and binary units', () => {
  expect(parseByteSize('1GB')).toBe(1e9)
  expect(parseByteSize('1.5 mb')).toBe(1.5e6)
  expect(parseByteSize('64KiB')).toBe(65536)
  expect(parseByteSize('1000')).toBe(1000)
})

it('refuses what is not a size', () => {
  expect(parseByteSize('big')).toBeInstanceOf(Error)
  expect(parseByteSize('1 parsec')).toBeInstanceOf(Error)
})
