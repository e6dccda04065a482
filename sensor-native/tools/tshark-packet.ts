/**
 * One packet of `tshark -T json -e …` output: each requested field as the list of its values in
 * the packet (several when a frame carries several messages or an ICMP error quotes a packet).
 */
export type TsharkPacket = Record<string, string[] | undefined>

/** The protocol stack of the frame, e.g. `eth:ethertype:ip:udp:dns`. */
export function protocols(p: TsharkPacket): string[] {
  return (p['frame.protocols']?.[0] ?? '').split(':')
}

/** The transport carrying `app`: the nearest `tcp`/`udp` below it in the stack. */
export function transportOf(stack: string[], app: string): 'tcp' | 'udp' | undefined {
  const at = stack.indexOf(app)
  for (let i = at - 1; i >= 0; i--) {
    if (stack[i] === 'tcp' || stack[i] === 'udp') return stack[i] as 'tcp' | 'udp'
  }
  return undefined
}

/**
 * ICMP errors quote the packet that caused them; tshark dissects the quote as if it were traffic,
 * but no socbox decoder treats a quote as a new message, so the oracle skips those frames.
 */
export function quotesAnotherPacket(stack: string[]): boolean {
  return stack.includes('icmp') || stack.includes('icmpv6')
}

export function first(p: TsharkPacket, field: string): string | undefined {
  return p[field]?.[0]
}
