/**
 * DNS transactions from tshark's per-packet fields, the way socbox's `dns` events count them: a
 * query joined with its response (tshark's own request/response tracking by conversation and id),
 * retransmissions folded into the original, a response without a seen query kept on its own.
 *
 * A frame may hold several DNS messages (DNS over TCP), so the flat field lists are cut into
 * messages with the section counts tshark reports for each message.
 */
import { normalizeName, qtypeName, rcodeName } from './dns-names.ts'
import { ANSWER_VALUE_FIELDS, type DnsAnswer, type DnsTransaction } from './oracle-facts.ts'
import {
  first,
  protocols,
  quotesAnotherPacket,
  type TsharkPacket,
  transportOf,
} from './tshark-packet.ts'

/** tshark's names for DNS on its three ports: socbox decodes 53, 5353 (mDNS) and 5355 (LLMNR). */
export const DNS_PROTOCOLS = ['dns', 'mdns', 'llmnr']

export const DNS_FIELDS = [
  'frame.number',
  'frame.protocols',
  'dns.flags.response',
  'dns.flags.rcode',
  'dns.qry.name',
  'dns.qry.type',
  'dns.count.queries',
  'dns.count.answers',
  'dns.count.auth_rr',
  'dns.count.add_rr',
  'dns.resp.type',
  'dns.resp.len',
  'dns.txt.length',
  'dns.txt',
  'dns.response_to',
  'dns.retransmission',
  ...Object.values(ANSWER_VALUE_FIELDS),
]

type Message = {
  frame: number
  response: boolean
  query: string
  qtype: string
  rcode?: string
  answers: DnsAnswer[]
  respondsTo?: number
  retransmission: boolean
}

/** Reads successive values of each field of one packet. */
function cursorOver(packet: TsharkPacket): { take(field: string): string | undefined } {
  const at = new Map<string, number>()
  return {
    take(field) {
      const i = at.get(field) ?? 0
      at.set(field, i + 1)
      return packet[field]?.[i]
    },
  }
}

/** The DNS layer of a frame's protocol stack, or undefined. */
export function dnsProtocolOf(stack: string[]): string | undefined {
  return DNS_PROTOCOLS.find((name) => stack.includes(name))
}

/** A TXT record's strings joined, as socbox writes it: consumes strings until rdlen is used up. */
function txtValue(cursor: ReturnType<typeof cursorOver>, rdlen: number): string {
  let used = 0
  let value = ''
  while (used < rdlen) {
    const len = cursor.take('dns.txt.length')
    if (len === undefined) break
    used += 1 + Number(len)
    value += cursor.take('dns.txt') ?? ''
  }
  return value
}

export function dnsMessages(p: TsharkPacket): Message[] {
  const stack = protocols(p)
  if (dnsProtocolOf(stack) === undefined || quotesAnotherPacket(stack)) return []
  const frame = Number(first(p, 'frame.number'))
  const flags = p['dns.flags.response'] ?? []
  const cursor = cursorOver(p)
  const messages: Message[] = []
  for (const flag of flags) {
    const response = flag === '1'
    const nq = Number(cursor.take('dns.count.queries') ?? 0)
    const nan = Number(cursor.take('dns.count.answers') ?? 0)
    const nrr =
      nan +
      Number(cursor.take('dns.count.auth_rr') ?? 0) +
      Number(cursor.take('dns.count.add_rr') ?? 0)
    const names: string[] = []
    const types: string[] = []
    for (let i = 0; i < nq; i++) {
      names.push(cursor.take('dns.qry.name') ?? '')
      types.push(cursor.take('dns.qry.type') ?? '')
    }
    const answers: DnsAnswer[] = []
    for (let i = 0; i < nrr; i++) {
      const raw = cursor.take('dns.resp.type')
      if (raw === undefined) break
      const type = qtypeName(Number(raw))
      const rdlen = Number(cursor.take('dns.resp.len') ?? 0)
      const field = ANSWER_VALUE_FIELDS[type]
      // Records past the answer section still consume their values, to keep later ones aligned.
      const value =
        type === 'TXT' ? txtValue(cursor, rdlen) : field ? cursor.take(field) : undefined
      if (i >= nan) continue
      if (value === undefined) answers.push([type])
      else if (type === 'A' || type === 'AAAA' || type === 'TXT') answers.push([type, value])
      else answers.push([type, normalizeName(value)])
    }
    const rcode = response ? cursor.take('dns.flags.rcode') : undefined
    const respondsTo = response ? cursor.take('dns.response_to') : undefined
    messages.push({
      frame,
      response,
      query: normalizeName(names[0] ?? ''),
      qtype: types[0] ? qtypeName(Number(types[0])) : 'TYPE0',
      ...(rcode !== undefined ? { rcode: rcodeName(Number(rcode)) } : {}),
      answers,
      ...(respondsTo !== undefined ? { respondsTo: Number(respondsTo) } : {}),
      // tshark flags a retransmission once per message; for a single message the flag is its own.
      retransmission: flags.length === 1 && first(p, 'dns.retransmission') === '1',
    })
  }
  return messages
}

export function dnsTransactions(packets: TsharkPacket[]): DnsTransaction[] {
  const transactions: DnsTransaction[] = []
  const openByFrame = new Map<number, DnsTransaction>()
  for (const p of packets) {
    const stack = protocols(p)
    const proto = transportOf(stack, dnsProtocolOf(stack) ?? 'dns')
    if (!proto) continue
    for (const m of dnsMessages(p)) {
      if (m.retransmission) continue
      if (!m.response) {
        const t: DnsTransaction = { proto, query: m.query, qtype: m.qtype, answers: [] }
        transactions.push(t)
        openByFrame.set(m.frame, t)
        continue
      }
      const asked = m.respondsTo !== undefined ? openByFrame.get(m.respondsTo) : undefined
      if (asked && asked.rcode === undefined) {
        asked.rcode = m.rcode ?? 'NOERROR'
        asked.answers = m.answers
      } else {
        transactions.push({
          proto,
          query: m.query,
          qtype: m.qtype,
          rcode: m.rcode ?? 'NOERROR',
          answers: m.answers,
        })
      }
    }
  }
  return transactions
}
