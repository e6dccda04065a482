// Rule sources for the benchmark: the shapes real packs use (intel lookups, lists, regexes,
// prefixes, string functions, comparisons), spread over the event kinds, compiled by the real
// compiler. Deterministic: the same count gives the same rules.

const KINDS = ['dns', 'conn', 'http', 'tls'] as const

const CONDITIONS: Record<(typeof KINDS)[number], ((i: number) => string)[]> = {
  dns: [
    (i) => `query in intel("bench.domains.${i % 4}")`,
    (i) => `qtype in [TXT, NULL, "TYPE${i}"] and len(query) > ${40 + (i % 20)}`,
    (i) => `query matches /^[a-z0-9]{${20 + (i % 10)},}\\.example${i}\\.net$/`,
    (i) => `ends_with(lower(query), ".bad${i}.example") and not src.ip in [10.9.0.0/16]`,
    (i) => `rcode == "NXDOMAIN" and query == "n${i}.example"`,
  ],
  conn: [
    (i) => `dst.ip in intel("bench.ips.${i % 4}")`,
    (i) => `dst.port in [${4000 + i}, ${5000 + i}, 6667] and state == "SF"`,
    (i) =>
      `dst.ip in [198.51.${i % 256}.0/24, "2001:db8:${i.toString(16)}::/48"] and orig_bytes > 1000`,
    (i) => `src.internal == true and dst.internal == true and dst.port == ${445 + i}`,
    (i) => `orig_bytes > resp_bytes and duration > ${99_000 + i}`,
  ],
  http: [
    (i) => `host in intel("bench.domains.${i % 4}")`,
    (i) => `uri matches /\\/wp-admin\\/x${i}\\.php/ and method == "POST"`,
    (i) => `contains(lower(user_agent), "scanner${i}")`,
    (i) => `status == 302 and starts_with(location, "http://r${i}.example")`,
  ],
  tls: [
    (i) => `sni in intel("bench.domains.${i % 4}")`,
    (i) =>
      `ja3 in ["${i.toString(16).padStart(32, '0')}", "${(i + 1).toString(16).padStart(32, 'f')}"]`,
    (i) => `version in ["SSLv3", "TLSv1.0"] and sni == "old${i}.example"`,
  ],
}

export function syntheticRules(count: number): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = []
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length] ?? 'dns'
    const shapes = CONDITIONS[kind]
    const condition = shapes[Math.floor(i / KINDS.length) % shapes.length]?.(i) ?? 'true'
    const id = `SB-BENCH-${String(i).padStart(4, '0')}`
    files.push({
      path: `bench/${id}.soc`,
      text: `detection "${id}" version 1 {
  title { en "bench ${i} {src.ip}" ja "ベンチ ${i}" }
  class "info.bench"
  severity low
  on ${kind} where ${condition}
  emit key [src.ip]
}
`,
    })
  }
  return files
}

/** Intel lists for the synthetic rules, with a few entries each. */
export function syntheticLists() {
  const lists = []
  for (let i = 0; i < 4; i++) {
    lists.push({
      id: `bench.domains.${i}`,
      ioc: 'domain' as const,
      entries: [`evil${i}.example`, `c2-${i}.example`],
    })
    lists.push({
      id: `bench.ips.${i}`,
      ioc: 'ip' as const,
      entries: [`203.0.113.${i}`, `192.0.2.${i}`],
    })
  }
  return lists
}
