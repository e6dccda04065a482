// A mixed event stream for the benchmark: 40% conn, 40% dns, 10% http, 10% tls, with a few
// intel hits, from a small deterministic generator (same seed, same events).
import type { SocEvent } from '../src/runtime/types.ts'

function generator(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

export function syntheticEvents(count: number, seed = 1): SocEvent[] {
  const random = generator(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const events: SocEvent[] = []
  let ts = 1_700_000_000_000
  for (let i = 0; i < count; i++) {
    ts += Math.floor(random() * 20)
    const src = {
      ip: `10.0.${Math.floor(random() * 4)}.${Math.floor(random() * 250)}`,
      port: 40000 + (i % 20000),
      internal: true,
    }
    const dst = {
      ip: `${pick(['93.184.216', '198.51.100', '203.0.113'])}.${Math.floor(random() * 250)}`,
      port: pick([53, 80, 443, 8080, 22]),
      internal: false,
    }
    const roll = random()
    const base = { ts, flow: `1:bench${i}=`, src, dst }
    if (roll < 0.4) {
      events.push({
        kind: 'conn',
        ...base,
        proto: 'tcp',
        state: pick(['SF', 'S0', 'REJ', 'SF', 'SF']),
        orig_bytes: Math.floor(random() * 5000),
        resp_bytes: Math.floor(random() * 50_000),
        orig_pkts: 5,
        resp_pkts: 7,
        duration: Math.floor(random() * 100_000),
      })
    } else if (roll < 0.8) {
      const query = `${pick(['www', 'api', 'cdn', 'mail'])}.site${Math.floor(random() * 1000)}.example`
      const event: SocEvent = {
        kind: 'dns',
        ...base,
        query,
        qtype: pick(['A', 'AAAA', 'A', 'TXT']),
        rcode: pick(['NOERROR', 'NOERROR', 'NXDOMAIN']),
        answers: ['93.184.216.34'],
        ttl: 300,
        proto: 'udp',
        trans_id: i & 0xffff,
      }
      if (random() < 0.01)
        event.hits = [{ list: 'bench.domains.0', field: 'query', indicator: 'evil0.example' }]
      events.push(event)
    } else if (roll < 0.9) {
      events.push({
        kind: 'http',
        ...base,
        method: pick(['GET', 'POST']),
        host: `site${Math.floor(random() * 1000)}.example`,
        uri: `/index${i % 50}.html`,
        user_agent: 'Mozilla/5.0',
        status: pick([200, 302, 404]),
        content_type: 'text/html',
        body_len: 1234,
      })
    } else {
      events.push({
        kind: 'tls',
        ...base,
        sni: `site${Math.floor(random() * 1000)}.example`,
        version: 'TLSv1.3',
        alpn: ['h2'],
        ja3: 'e7d705a3286e19ea42f587b344ee6865',
        ja4: 't13d1516h2_8daaf6152771_02713d6af862',
      })
    }
  }
  return events
}
