import { expect, it } from 'vitest'
import { dnsAnswer, dnsQuery } from './dns-wire.ts'

it('writes a query with one question', () => {
  expect([...dnsQuery(0x1234, 'q1.example.net')]).toEqual([
    0x12,
    0x34,
    0x01,
    0x00,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    2,
    0x71,
    0x31,
    7,
    ...Buffer.from('example'),
    3,
    ...Buffer.from('net'),
    0,
    0,
    1,
    0,
    1,
  ])
})

it('writes the answer with a pointer to the question name', () => {
  const a = dnsAnswer(0x1234, 'a.b', 0xc0000201)
  expect([...a.subarray(0, 12)]).toEqual([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0])
  expect([...a.subarray(12)]).toEqual([
    1, 0x61, 1, 0x62, 0, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2, 1,
  ])
})
