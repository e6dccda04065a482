import { expect, it } from 'vitest'
import { httpRequests } from './tshark-http.ts'

const request = (
  method: string[],
  uri: string[],
  host: string[],
  stack = 'eth:ethertype:ip:tcp:http',
) => ({
  'frame.number': ['1'],
  'frame.protocols': [stack],
  'http.request.method': method,
  'http.request.uri': uri,
  'http.host': host,
})

it('keeps TCP requests, with or without Host, and leaves out SSDP and retransmissions', () => {
  const packets = [
    request(['GET'], ['/a'], ['a.example']),
    request(['GET'], ['/old'], []),
    request(['M-SEARCH'], ['*'], ['239.255.255.250:1900'], 'eth:ethertype:ip:udp:ssdp'),
    { ...request(['GET'], ['/a'], ['a.example']), 'tcp.analysis.retransmission': [''] },
  ]
  expect(httpRequests(packets)).toEqual({
    requests: [
      { method: 'GET', host: 'a.example', uri: '/a' },
      { method: 'GET', uri: '/old' },
    ],
    problems: [],
  })
})

it('pairs pipelined requests with their hosts and reports frames where it cannot', () => {
  expect(httpRequests([request(['GET', 'POST'], ['/1', '/2'], ['x', 'y'])]).requests).toEqual([
    { method: 'GET', host: 'x', uri: '/1' },
    { method: 'POST', host: 'y', uri: '/2' },
  ])
  const unpaired = httpRequests([request(['GET', 'GET'], ['/1', '/2'], ['x'])])
  expect(unpaired.requests).toEqual([
    { method: 'GET', uri: '/1' },
    { method: 'GET', uri: '/2' },
  ])
  expect(unpaired.problems).toEqual(['frame 1: 2 requests but 1 Host headers'])
})
