import { expect, it } from 'vitest'
import { sniFacts } from './tshark-sni.ts'

const hello = (stream: string, sni: string, stack = 'eth:ethertype:ip:tcp:tls') => ({
  'frame.protocols': [stack],
  'tcp.stream': [stream],
  'tls.handshake.type': ['1'],
  'tls.handshake.extensions_server_name': [sni],
})

it('keeps one SNI per TCP connection and leaves out QUIC and server hellos', () => {
  const packets = [
    hello('0', 'a.example'),
    hello('0', 'a.example'), // the same hello again, retransmitted
    hello('1', 'a.example'),
    hello('2', 'b.example', 'eth:ethertype:ip:udp:quic:tls'),
    { ...hello('3', 'c.example'), 'tls.handshake.type': ['2'] },
  ]
  expect(sniFacts(packets)).toEqual([{ sni: 'a.example' }, { sni: 'a.example' }])
})
