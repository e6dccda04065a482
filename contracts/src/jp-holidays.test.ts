import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, dayOfWeek, formatDate, parseDate } from './calendar-date.ts'
import {
  autumnalEquinoxDay,
  CITIZENS_HOLIDAY,
  holidayOn,
  holidaysOf,
  isHoliday,
  SUBSTITUTE_HOLIDAY,
  vernalEquinoxDay,
} from './jp-holidays.ts'

// Month-day lists as published by the Cabinet Office (内閣府「国民の祝日について」, syukujitsu.csv).
const published: Record<number, string> = {
  1990: '01-01 01-15 02-11 02-12 03-21 04-29 04-30 05-03 05-04 05-05 09-15 09-23 09-24 10-10 11-03 11-12 11-23 12-23 12-24',
  1998: '01-01 01-15 02-11 03-21 04-29 05-03 05-04 05-05 07-20 09-15 09-23 10-10 11-03 11-23 12-23',
  2006: '01-01 01-02 01-09 02-11 03-21 04-29 05-03 05-04 05-05 07-17 09-18 09-23 10-09 11-03 11-23 12-23',
  2008: '01-01 01-14 02-11 03-20 04-29 05-03 05-04 05-05 05-06 07-21 09-15 09-23 10-13 11-03 11-23 11-24 12-23',
  2009: '01-01 01-12 02-11 03-20 04-29 05-03 05-04 05-05 05-06 07-20 09-21 09-22 09-23 10-12 11-03 11-23 12-23',
  2019: '01-01 01-14 02-11 03-21 04-29 04-30 05-01 05-02 05-03 05-04 05-05 05-06 07-15 08-11 08-12 09-16 09-23 10-14 10-22 11-03 11-04 11-23',
  2020: '01-01 01-13 02-11 02-23 02-24 03-20 04-29 05-03 05-04 05-05 05-06 07-23 07-24 08-10 09-21 09-22 11-03 11-23',
  2021: '01-01 01-11 02-11 02-23 03-20 04-29 05-03 05-04 05-05 07-22 07-23 08-08 08-09 09-20 09-23 11-03 11-23',
  2026: '01-01 01-12 02-11 02-23 03-20 04-29 05-03 05-04 05-05 05-06 07-20 08-11 09-21 09-22 09-23 10-12 11-03 11-23',
}

const monthDays = (y: number) => holidaysOf(y).map((h) => formatDate(h.date).slice(5))
const nameOn = (text: string) => holidayOn(parseDate(text))?.name

describe('holidaysOf', () => {
  for (const [year, list] of Object.entries(published)) {
    it(`matches the published list for ${year}`, () => {
      expect(monthDays(Number(year))).toEqual(list.split(' '))
    })
  }

  it('names substitute and citizens’ holidays by the rule that made them', () => {
    expect(nameOn('2019-04-30')).toBe(CITIZENS_HOLIDAY)
    expect(nameOn('2019-05-02')).toBe(CITIZENS_HOLIDAY)
    expect(nameOn('2026-09-22')).toBe(CITIZENS_HOLIDAY)
    expect(nameOn('1998-05-04')).toBe(SUBSTITUTE_HOLIDAY)
    expect(nameOn('2008-05-06')).toBe(SUBSTITUTE_HOLIDAY)
    expect(nameOn('2019-05-01')).toBe('天皇の即位の日')
    expect(nameOn('2021-07-23')).toBe('スポーツの日')
    expect(nameOn('2018-12-23')).toBe('天皇誕生日')
    expect(nameOn('2019-12-23')).toBeUndefined()
  })

  it('keeps a pre-2007 Sunday between two holidays an ordinary Sunday', () => {
    // 1997: Constitution Day Sat, May 4 Sun, Children's Day Mon.
    expect(isHoliday(parseDate('1997-05-04'))).toBe(false)
    expect(isHoliday(parseDate('1997-05-05'))).toBe(true)
  })

  it('forecasts equinoxes that match announced ones', () => {
    expect([vernalEquinoxDay(2024), autumnalEquinoxDay(2024)]).toEqual([20, 22])
    expect([vernalEquinoxDay(2025), autumnalEquinoxDay(2025)]).toEqual([20, 23])
    expect([vernalEquinoxDay(2027), autumnalEquinoxDay(2027)]).toEqual([21, 23])
    expect([vernalEquinoxDay(2092), autumnalEquinoxDay(2092)]).toEqual([19, 22])
  })

  it('refuses years it does not know', () => {
    expect(() => holidaysOf(1989)).toThrow(RangeError)
    expect(() => holidaysOf(2100)).toThrow(RangeError)
  })
})

describe('holiday invariants for 1990–2099', () => {
  const year = fc.integer({ min: 1990, max: 2099 })

  it('gives every Sunday national holiday a weekday substitute', () => {
    fc.assert(
      fc.property(year, (y) => {
        const holidays = holidaysOf(y)
        for (const h of holidays) {
          if (h.name === SUBSTITUTE_HOLIDAY) expect(dayOfWeek(h.date)).not.toBe(0)
          const isNational = h.name !== SUBSTITUTE_HOLIDAY && h.name !== CITIZENS_HOLIDAY
          if (!isNational || dayOfWeek(h.date) !== 0) continue
          let next = addDays(h.date, 1)
          while (next.y === y && isHoliday(next) && nameOn(formatDate(next)) !== SUBSTITUTE_HOLIDAY)
            next = addDays(next, 1)
          if (next.y === y) expect(nameOn(formatDate(next))).toBe(SUBSTITUTE_HOLIDAY)
        }
      }),
    )
  })

  it('has 14 to 22 holidays a year, sorted and unique', () => {
    fc.assert(
      fc.property(year, (y) => {
        const days = monthDays(y)
        expect(days.length).toBeGreaterThanOrEqual(14)
        expect(days.length).toBeLessThanOrEqual(22)
        expect([...new Set(days)].sort()).toEqual(days)
      }),
    )
  })
})
