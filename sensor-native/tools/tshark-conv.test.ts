import { expect, it } from 'vitest'
import { parseConversations } from './tshark-conv.ts'

const sample = `================================================================================
UDP Conversations
Filter:<No Filter>
                                     |       <-      | |       ->      |
203.0.113.9:40000  <-> 198.51.100.7:1000   0 0 bytes   1 50 bytes   1 50 bytes   0.000000000   0.0000
[2001:db8::1]:5353 <-> [ff02::fb]:5353     0 0 bytes   1 90 bytes   1 90 bytes   1.000000000   0.0000
================================================================================
================================================================================
TCP Conversations
Filter:<No Filter>
                                     |       <-      | |       ->      |
================================================================================
`

it('counts the rows of the TCP and UDP tables', () => {
  expect(parseConversations(sample)).toEqual({ tcp: 0, udp: 2 })
})

it('returns an error when a table is missing', () => {
  expect(parseConversations('nothing here')).toBeInstanceOf(Error)
})
