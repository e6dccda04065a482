// When was a feed's data published? Feeds say it in different ways; the file's mtime is only the
// copy time, so the feed's own statement wins when there is one.

const MONTHS: Readonly<Record<string, string>> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
}
/** Zones seen in mirrors' `date` output; IST is India (+05:30) in the Tor mirror. */
const ZONES: Readonly<Record<string, string>> = {
  UTC: 'Z',
  GMT: 'Z',
  IST: '+05:30',
  JST: '+09:00',
  CET: '+01:00',
  CEST: '+02:00',
  EST: '-05:00',
  EDT: '-04:00',
  PST: '-08:00',
  PDT: '-07:00',
}

/** Newest publication time stated in a feed file: abuse.ch `Last updated: … UTC`, ET `updated_at YYYY_MM_DD`. */
export function dataTimeOfText(text: string): number | undefined {
  let newest: number | undefined
  const consider = (ms: number) => {
    if (!Number.isNaN(ms)) newest = Math.max(newest ?? ms, ms)
  }
  const header = /Last updated:\s*(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC/.exec(
    text.slice(0, 2000),
  )
  if (header) consider(Date.parse(`${header[1]}T${header[2]}Z`))
  for (const m of text.matchAll(/updated_at (\d{4})_(\d{2})_(\d{2})/g))
    consider(Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`))
  return newest
}

/** `date` output such as `Tue Feb 27 09:27:52 IST 2024`, or an ISO timestamp. */
export function parseTimeFile(text: string): number | undefined {
  const t = text.trim()
  const unix = /^\w{3} (\w{3}) +(\d{1,2}) (\d{2}:\d{2}:\d{2}) (\w+) (\d{4})$/.exec(t)
  if (unix) {
    const month = MONTHS[unix[1] ?? '']
    const zone = ZONES[unix[4] ?? '']
    if (!month || !zone) return undefined
    const ms = Date.parse(
      `${unix[5]}-${month}-${(unix[2] ?? '').padStart(2, '0')}T${unix[3]}${zone}`,
    )
    return Number.isNaN(ms) ? undefined : ms
  }
  const iso = Date.parse(t)
  return Number.isNaN(iso) ? undefined : iso
}
