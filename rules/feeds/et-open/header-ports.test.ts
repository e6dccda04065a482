import { describe, expect, it } from 'vitest'
import { parseHeaderPorts } from './header-ports.ts'

describe('parseHeaderPorts', () => {
  it.each([
    ['any', []],
    ['$HTTP_PORTS', []],
    ['443', [[443, 443]]],
    [
      '[80, 8080]',
      [
        [80, 80],
        [8080, 8080],
      ],
    ],
    ['1024:', [[1024, 65535]]],
    [':1023', [[0, 1023]]],
    [
      '[8000:8100,9000]',
      [
        [8000, 8100],
        [9000, 9000],
      ],
    ],
  ])('%s', (text, ranges) => {
    expect(parseHeaderPorts(text)).toEqual(ranges)
  })

  it.each([
    ['!443', 'negated header port !443'],
    ['[$HTTP_PORTS,8080]', 'header port list with a variable [$HTTP_PORTS,8080]'],
    ['70000', 'header port 70000 out of range'],
    ['9:3', 'header port 9:3 out of range'],
    ['abc', 'header port abc not understood'],
  ])('refuses %s', (text, reason) => {
    expect(parseHeaderPorts(text)).toBe(reason)
  })
})
