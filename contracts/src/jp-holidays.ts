/**
 * @module jp-holidays
 * Japanese national holidays (国民の祝日 and the 休日 derived from them) under the National
 * Holidays Act as amended, for 1990–2099. The support desk is closed on them, so a wrong
 * holiday moves a first-answer deadline.
 *
 * The equinoxes are fixed each February by the National Astronomical Observatory for the next
 * year; the widely used formula below matches every announcement to date and is the standard
 * forecast until 2099. A future announcement that differs must be reflected here.
 */
import { assert } from './assert.ts'
import {
  addDays,
  type CalendarDate,
  calendarDate,
  compareDates,
  dayOfWeek,
  formatDate,
} from './calendar-date.ts'

export type Holiday = { readonly date: CalendarDate; readonly name: string }

export const FIRST_HOLIDAY_YEAR = 1990
export const LAST_HOLIDAY_YEAR = 2099
export const UNSUPPORTED_YEAR_MESSAGE = `Holidays are known only for ${FIRST_HOLIDAY_YEAR}–${LAST_HOLIDAY_YEAR}.`
export const SUBSTITUTE_HOLIDAY = '振替休日'
export const CITIZENS_HOLIDAY = '国民の休日'

/** The n-th Monday of a month: the "Happy Monday" rule (from 2000 and 2003). */
function nthMonday(y: number, m: number, n: number): number {
  const firstWeekday = dayOfWeek(calendarDate(y, m, 1))
  return 1 + ((8 - firstWeekday) % 7) + (n - 1) * 7
}

export function vernalEquinoxDay(y: number): number {
  return Math.floor(20.8431 + 0.242194 * (y - 1980) - Math.floor((y - 1980) / 4))
}

export function autumnalEquinoxDay(y: number): number {
  return Math.floor(23.2488 + 0.242194 * (y - 1980) - Math.floor((y - 1980) / 4))
}

/** Holidays named by the Act (and by the one-off laws that deem a day a national holiday). */
function namedHolidays(y: number): Array<[number, number, string]> {
  const days: Array<[number, number, string]> = [[1, 1, '元日']]
  days.push(y < 2000 ? [1, 15, '成人の日'] : [1, nthMonday(y, 1, 2), '成人の日'])
  days.push([2, 11, '建国記念の日'])
  if (y >= 2020) days.push([2, 23, '天皇誕生日'])
  days.push([3, vernalEquinoxDay(y), '春分の日'])
  days.push([4, 29, y < 2007 ? 'みどりの日' : '昭和の日'])
  days.push([5, 3, '憲法記念日'])
  // Until 2006 May 4 was a holiday only through the citizens'-holiday rule below.
  if (y >= 2007) days.push([5, 4, 'みどりの日'])
  days.push([5, 5, 'こどもの日'])
  // 2020 and 2021 moved Marine, Mountain and Sports Day around the Tokyo Olympics by special law.
  if (y === 2020) days.push([7, 23, '海の日'], [7, 24, 'スポーツの日'], [8, 10, '山の日'])
  else if (y === 2021) days.push([7, 22, '海の日'], [7, 23, 'スポーツの日'], [8, 8, '山の日'])
  else {
    if (y >= 2003) days.push([7, nthMonday(y, 7, 3), '海の日'])
    else if (y >= 1996) days.push([7, 20, '海の日'])
    if (y >= 2016) days.push([8, 11, '山の日'])
  }
  days.push([9, y < 2003 ? 15 : nthMonday(y, 9, 3), '敬老の日'])
  days.push([9, autumnalEquinoxDay(y), '秋分の日'])
  if (y < 2000) days.push([10, 10, '体育の日'])
  else if (y < 2020) days.push([10, nthMonday(y, 10, 2), '体育の日'])
  else if (y > 2021) days.push([10, nthMonday(y, 10, 2), 'スポーツの日'])
  days.push([11, 3, '文化の日'])
  days.push([11, 23, '勤労感謝の日'])
  if (y <= 2018) days.push([12, 23, '天皇誕生日'])
  if (y === 1990) days.push([11, 12, '即位礼正殿の儀'])
  if (y === 1993) days.push([6, 9, '皇太子徳仁親王の結婚の儀'])
  if (y === 2019) days.push([5, 1, '天皇の即位の日'], [10, 22, '即位礼正殿の儀'])
  return days
}

const cache = new Map<number, readonly Holiday[]>()

/**
 * Every holiday of year `y`, in date order.
 * @example
 * holidaysOf(2019).map((h) => formatDate(h.date)).slice(5, 10)
 * //=> ['2019-04-29', '2019-04-30', '2019-05-01', '2019-05-02', '2019-05-03']
 */
export function holidaysOf(y: number): readonly Holiday[] {
  assert(
    Number.isInteger(y) && y >= FIRST_HOLIDAY_YEAR && y <= LAST_HOLIDAY_YEAR,
    UNSUPPORTED_YEAR_MESSAGE,
  )
  const cached = cache.get(y)
  if (cached) return cached
  const named = new Map<string, Holiday>()
  for (const [m, d, name] of namedHolidays(y)) {
    const date = calendarDate(y, m, d)
    named.set(formatDate(date), { date, name })
  }
  const all = new Map(named)
  for (const holiday of named.values()) {
    if (dayOfWeek(holiday.date) !== 0) continue
    // Until 2006 the substitute was always the Monday; since 2007 it is the first following
    // day that is not itself a national holiday (e.g. 2008-05-06 for Sunday May 4).
    let substitute = addDays(holiday.date, 1)
    while (y >= 2007 && named.has(formatDate(substitute))) substitute = addDays(substitute, 1)
    const key = formatDate(substitute)
    if (substitute.y === y && !all.has(key)) {
      all.set(key, { date: substitute, name: SUBSTITUTE_HOLIDAY })
    }
  }
  for (const holiday of named.values()) {
    // A single ordinary day between two national holidays is a holiday too (Art. 3(3)).
    // Before 2007 a Sunday in that place stayed an ordinary Sunday.
    const between = addDays(holiday.date, 1)
    const key = formatDate(between)
    if (all.has(key) || !named.has(formatDate(addDays(between, 1)))) continue
    if (y < 2007 && dayOfWeek(between) === 0) continue
    all.set(key, { date: between, name: CITIZENS_HOLIDAY })
  }
  const sorted = [...all.values()].sort((a, b) => compareDates(a.date, b.date))
  const frozen = Object.freeze(sorted.map((h) => Object.freeze(h)))
  cache.set(y, frozen)
  return frozen
}

/** The holiday falling on `date`, if any. */
export function holidayOn(date: CalendarDate): Holiday | undefined {
  return holidaysOf(date.y).find((h) => compareDates(h.date, date) === 0)
}

export function isHoliday(date: CalendarDate): boolean {
  return holidayOn(date) !== undefined
}
