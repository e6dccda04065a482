/**
 * A tenant's own indicator lists as its admins send them (`PUT /api/v1/settings/:tenant/lists`):
 * checked here, stored in `tenant_intel_lists`, and added to the match plan of the pack its
 * sensors receive under the list id `tenant.<name>`. Problems name the list and entry, in
 * English and Japanese.
 */
export type TenantList = { name: string; ioc: 'domain' | 'ip'; entries: string[] }

type Problem = { en: string; ja: string }
export type ListsChecked = { ok: true; lists: TenantList[] } | { ok: false; problems: Problem[] }

export const MAX_LISTS = 10
export const MAX_ENTRIES = 50_000

const NAME = /^[a-z0-9][a-z0-9_-]{0,40}$/
const DOMAIN =
  /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/
const IPV6 =
  /^[0-9a-f:]+(:(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3})?(\/(12[0-8]|1[01]\d|\d?\d))?$/

function entryOk(ioc: TenantList['ioc'], e: string): boolean {
  if (ioc === 'domain') return DOMAIN.test(e)
  return IPV4.test(e) || (e.includes(':') && IPV6.test(e))
}

export function checkLists(body: unknown): ListsChecked {
  const problems: Problem[] = []
  const raw = (body as { lists?: unknown } | null)?.lists
  if (!Array.isArray(raw)) {
    return {
      ok: false,
      problems: [
        {
          en: 'send {"lists": [{"name": "…", "ioc": "domain" | "ip", "entries": ["…"]}]}',
          ja: '{"lists": [{"name": "…", "ioc": "domain" または "ip", "entries": ["…"]}]} の形で送ってください',
        },
      ],
    }
  }
  if (raw.length > MAX_LISTS) {
    problems.push({
      en: `at most ${MAX_LISTS} lists per customer, not ${raw.length}`,
      ja: `リストはお客様ごとに最大 ${MAX_LISTS} 件です（${raw.length} 件あります）`,
    })
  }
  const lists: TenantList[] = []
  const seen = new Set<string>()
  for (const [i, item] of raw.entries()) {
    const l = item as Partial<Record<keyof TenantList, unknown>>
    const where = `list ${i + 1}`
    const name = typeof l?.name === 'string' ? l.name : ''
    if (!NAME.test(name)) {
      problems.push({
        en: `${where}: name "${name}" must be 1–41 lower-case letters, digits, - or _`,
        ja: `${where}：名前「${name}」は小文字英数字・-・_ の 1〜41 文字にしてください`,
      })
      continue
    }
    if (seen.has(name)) {
      problems.push({
        en: `${where}: "${name}" appears twice`,
        ja: `${where}：「${name}」が重複しています`,
      })
      continue
    }
    seen.add(name)
    if (l.ioc !== 'domain' && l.ioc !== 'ip') {
      problems.push({
        en: `${name}: ioc must be "domain" or "ip"`,
        ja: `${name}：ioc は "domain" か "ip" にしてください`,
      })
      continue
    }
    if (!Array.isArray(l.entries) || l.entries.length > MAX_ENTRIES) {
      problems.push({
        en: `${name}: entries must be a list of at most ${MAX_ENTRIES.toLocaleString('en')} strings`,
        ja: `${name}：entries は最大 ${MAX_ENTRIES.toLocaleString('en')} 件の文字列の配列にしてください`,
      })
      continue
    }
    const entries: string[] = []
    for (const e of l.entries) {
      const value = typeof e === 'string' ? e.trim().toLowerCase().replace(/\.$/, '') : ''
      if (!entryOk(l.ioc, value)) {
        problems.push({
          en: `${name}: "${String(e)}" is not ${l.ioc === 'domain' ? 'a domain name' : 'an IP address or CIDR'}`,
          ja: `${name}：「${String(e)}」は${l.ioc === 'domain' ? 'ドメイン名' : 'IP アドレスまたは CIDR'}ではありません`,
        })
        if (problems.length > 20) break
        continue
      }
      entries.push(value)
    }
    lists.push({ name, ioc: l.ioc, entries: [...new Set(entries)].sort() })
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lists }
}
