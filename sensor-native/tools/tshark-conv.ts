/**
 * Flow counts from `tshark -q -z conv,tcp -z conv,udp`: the number of rows of each table.
 * tshark's conversations are address/port pairs over the whole capture, socbox's `conn` events are
 * flows ended by state or timeout; the counts agree unless a 5-tuple is reused.
 */
import type { FlowCounts } from './oracle-facts.ts'

export function parseConversations(text: string): FlowCounts | Error {
  const counts: Partial<FlowCounts> = {}
  let table: keyof FlowCounts | undefined
  for (const line of text.split('\n')) {
    const header = /^(TCP|UDP) Conversations/.exec(line)
    if (header) {
      table = header[1] === 'TCP' ? 'tcp' : 'udp'
      counts[table] = 0
    } else if (line.startsWith('====')) table = undefined
    else if (table && line.includes('<->')) counts[table] = (counts[table] ?? 0) + 1
  }
  if (counts.tcp === undefined || counts.udp === undefined) {
    return new Error('tshark printed no TCP and UDP conversation tables')
  }
  return { tcp: counts.tcp, udp: counts.udp }
}
