// One trail → one indicator, the same for the static trail files and the compiled trails.csv:
// parse the trail's syntax, normalise its value, keep its port. A string is the reason it failed.
import type { Indicator, Origin } from '../model/indicator.ts'
import { normaliseIndicator } from '../normalise/indicator.ts'
import { parseTrail } from './trail-syntax.ts'

export function trailIndicator(
  trail: string,
  cls: Indicator['class'],
  origin: Origin,
): Indicator | string {
  const parsed = parseTrail(trail)
  if ('error' in parsed) return parsed.error
  const normalised = normaliseIndicator(parsed.ioc, parsed.raw)
  if (!normalised.ok) return `${parsed.ioc}: ${normalised.reason}`
  const indicator: Indicator = { ioc: parsed.ioc, value: normalised.value, class: cls, origin }
  if (parsed.port !== undefined) indicator.port = parsed.port
  return indicator
}
