// Element checks and matching of the site variable types with rules of their own: `ports` (TCP
// and UDP port numbers) and `domains` (DNS names; a name matches itself and every name under it,
// so `$internal_domains` [corp.example] covers `wpad.corp.example`). Shared by the checker (the
// declared defaults) and the runtime (a tenant's values), so both accept the same values.

/** A whole number 0–65535. */
export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65_535
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/

/** The name lower-cased without a final dot, if it is a DNS name (labels of letters, digits, -, _). */
export function domainName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const name = value.trim().toLowerCase().replace(/\.$/, '')
  if (name === '' || name.length > 253) return undefined
  return name.split('.').every((label) => LABEL.test(label)) ? name : undefined
}

/** Membership test of a `domains` list: the name itself or a name under one of the list's. */
export function domainTest(list: readonly string[]): (value: unknown) => boolean {
  const names = new Set(list.map((d) => domainName(d)).filter((d) => d !== undefined))
  return (value) => {
    if (typeof value !== 'string' || names.size === 0) return false
    let name = value.toLowerCase()
    if (name.endsWith('.')) name = name.slice(0, -1)
    for (;;) {
      if (names.has(name)) return true
      const dot = name.indexOf('.')
      if (dot < 0) return false
      name = name.slice(dot + 1)
    }
  }
}
