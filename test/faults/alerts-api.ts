/** Alerts as a customer sees them through the API, to check each finding is stored once. */
export type ApiAlert = { id: number; rule: string; srcIp: string; title: { en: string } }

export async function alertsOfRule(url: string, apiToken: string, rule: string, cls: string) {
  const found: ApiAlert[] = []
  let next: number | undefined
  do {
    const query = new URLSearchParams({ class: cls, limit: '200' })
    if (next !== undefined) query.set('before', String(next))
    const res = await fetch(`${url}/api/v1/alerts?${query}`, {
      headers: { authorization: `Bearer ${apiToken}` },
    })
    if (!res.ok) throw new Error(`GET /api/v1/alerts answered ${res.status}: ${await res.text()}`)
    const page = (await res.json()) as { alerts: ApiAlert[]; next?: number | null }
    found.push(...page.alerts)
    next = page.next ?? undefined
  } while (next)
  return found.filter((a) => a.rule === rule)
}
