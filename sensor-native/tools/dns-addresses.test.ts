import { expect, it } from 'vitest'
import { dnsAddressFields } from './dns-addresses.ts'
import { dnsAnswer, dnsQuery } from './dns-wire.ts'

it('finds the address of an A answer', () => {
  const m = dnsAnswer(1, 'ab.example', 0xc0000201)
  expect(dnsAddressFields(m, 0, m.length)).toEqual([[m.length - 4, 4]])
})

it('finds AAAA answers and skips other records and compressed names', () => {
  const header = [0, 1, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 1]
  const question = [1, 0x61, 0, 0, 28, 0, 1]
  const cname = [0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12]
  const aaaa = [0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16, ...Array(16).fill(7)]
  const additionalA = [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1]
  const m = Uint8Array.from([...header, ...question, ...cname, ...aaaa, ...additionalA])
  const aaaaAt = header.length + question.length + cname.length + 12
  expect(dnsAddressFields(m, 0, m.length)).toEqual([
    [aaaaAt, 16],
    [m.length - 4, 4],
  ])
})

it('has none in a query, and stops at a cut message', () => {
  const q = dnsQuery(1, 'ab.example')
  expect(dnsAddressFields(q, 0, q.length)).toEqual([])
  const m = dnsAnswer(1, 'ab.example', 0xc0000201)
  expect(dnsAddressFields(m, 0, m.length - 2)).toEqual([])
})
