// Dates in policies (`expires 2027-03-31`, `from 2026-12-01T22:00 to 2026-12-02T06:00`) → ms
// since the epoch. Customers and the desk work in Japan, so a date or time without a zone is
// JST (+09:00). A bare date names the whole day: as a start it is 00:00 JST, as an end (expires,
// to) the window runs to the end of that day (exclusive 00:00 JST of the next).

const JST_MS = 9 * 3_600_000
const FORM = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|([+-])(\d{2}):(\d{2}))?)?$/

export function policyTime(text: string, end: boolean): number | undefined {
  const m = FORM.exec(text)
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, zone, sign, zh, zm] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const utc = Date.UTC(year, month - 1, day)
  const check = new Date(utc)
  // Date.UTC rolls 2026-02-30 over to March: refuse dates that do not exist.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined
  if (h === undefined) return utc + (end ? 86_400_000 : 0) - JST_MS
  const hours = Number(h)
  const minutes = Number(mi)
  const seconds = Number(s ?? 0)
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined
  const local = utc + ((hours * 60 + minutes) * 60 + seconds) * 1000
  if (zone === undefined) return local - JST_MS
  if (zone === 'Z') return local
  const offset = (Number(zh) * 60 + Number(zm)) * 60_000
  return sign === '+' ? local - offset : local + offset
}
