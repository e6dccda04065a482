/**
 * How `socbox detect` prints alerts: NDJSON for programs (a stable shape, one alert per line) or
 * a table for people (English title, one line per finding).
 */
import type { Endpoint } from '@socbox/dsl/runtime'
import type { DedupedAlert } from './dedup-alerts.ts'

export type AlertLine = {
  capture: string
  rule: string
  version: number
  class: string
  severity: string
  ts: number
  last_ts: number
  count: number
  src?: { ip: string; port?: number }
  dst?: { ip: string; port?: number }
  title: string
  title_ja: string
  attack: string[]
}

const endpoint = (e: Endpoint | undefined) =>
  e === undefined ? undefined : e.port === undefined ? { ip: e.ip } : { ip: e.ip, port: e.port }

export function alertLine(capture: string, alert: DedupedAlert): AlertLine {
  const line: AlertLine = {
    capture,
    rule: alert.rule,
    version: alert.version,
    class: alert.class,
    severity: alert.severity,
    ts: alert.ts,
    last_ts: alert.lastTs,
    count: alert.count,
    title: alert.title.en,
    title_ja: alert.title.ja,
    attack: alert.attack,
  }
  const src = endpoint(alert.src)
  const dst = endpoint(alert.dst)
  if (src) line.src = src
  if (dst) line.dst = dst
  return line
}

export function ndjson(lines: AlertLine[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('')
}

const address = (e: AlertLine['src']) =>
  e === undefined
    ? '-'
    : e.port === undefined
      ? e.ip
      : e.ip.includes(':')
        ? `[${e.ip}]:${e.port}`
        : `${e.ip}:${e.port}`

/** Japan has no daylight saving time, so JST is always UTC+9. */
const JST_OFFSET_MS = 9 * 3600_000

export function jst(ts: number): string {
  return `${new Date(ts + JST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ')} JST`
}

export function table(lines: AlertLine[]): string {
  if (lines.length === 0) return 'no alerts\n'
  const rows = lines.map((l) => [
    jst(l.ts),
    l.severity,
    l.class,
    l.rule,
    `${address(l.src)} → ${address(l.dst)}`,
    l.count > 1 ? `×${l.count}` : '',
    l.title,
  ])
  const head = ['time (JST)', 'severity', 'class', 'rule', 'from → to', 'seen', 'title']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
  // The title is last and left unpadded so long titles do not widen every line.
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd()
  return `${[render(head), ...rows.map(render)].join('\n')}\n`
}
