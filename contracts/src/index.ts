/**
 * @module @socbox/contracts
 * The service contract as pure functions: calendar and holidays, the support desk's business
 * days, the term and its renewal, and the money that changes hands. No I/O, no clock: every
 * "now" is an argument.
 */

export {
  addBusinessDays,
  CLOSING_HOUR,
  firstAnswerDue,
  INVALID_COUNT_MESSAGE,
  isBusinessDay,
  isOpen,
  isYearEndBreak,
  nextBusinessDay,
  nextOpening,
  OPENING_HOUR,
} from './business-calendar.ts'
export {
  addDays,
  addMonths,
  addYears,
  type CalendarDate,
  calendarDate,
  compareDates,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  formatDate,
  fromDayNumber,
  INVALID_DATE_MESSAGE,
  INVALID_INSTANT_MESSAGE,
  isAfter,
  isBefore,
  isLeapYear,
  isSameDate,
  isValidDate,
  JST_OFFSET_MS,
  jstDateOf,
  jstInstant,
  jstTimeOfDay,
  MS_PER_DAY,
  parseDate,
  toDayNumber,
} from './calendar-date.ts'
export {
  confidentialityEndsOn,
  cureDeadline,
  providerEndNoticeDeadline,
  termsChangeNoticeDeadline,
} from './deadlines.ts'
export {
  coverageStartsOn,
  INSURANCE_LIMIT,
  insurancePayout,
  isCovered,
} from './insurance.ts'
export {
  autumnalEquinoxDay,
  CITIZENS_HOLIDAY,
  FIRST_HOLIDAY_YEAR,
  type Holiday,
  holidayOn,
  holidaysOf,
  isHoliday,
  LAST_HOLIDAY_YEAR,
  SUBSTITUTE_HOLIDAY,
  UNSUPPORTED_YEAR_MESSAGE,
  vernalEquinoxDay,
} from './jp-holidays.ts'
export {
  type ClaimBasis,
  liabilityCap,
  type Payment,
  paidInPastYear,
  recoverableDamages,
} from './liability.ts'
export {
  addYen,
  formatYen,
  INVALID_RATIO_MESSAGE,
  maxYen,
  minYen,
  multiplyYen,
  NOT_WHOLE_YEN_MESSAGE,
  prorate,
  type Rounding,
  subtractYen,
  sumYen,
  type Yen,
  yen,
  ZERO_YEN,
} from './money.ts'
export {
  INVALID_LENGTH_MESSAGE,
  isTimelyNotice,
  type Length,
  latestNoticeDay,
  periodLastDay,
} from './period.ts'
export {
  DAY_OUTSIDE_TERM_MESSAGE,
  type DefectCompensation,
  defectCompensation,
  type EarlyCancellation,
  earlyCancellation,
  INVALID_ACCOUNT_MESSAGE,
  INVALID_OUTAGE_MESSAGE,
  perDayPrice,
  type TermAccount,
  termAccount,
  type UnexpiredRefund,
  unexpiredRefund,
  usedDays,
} from './settlement.ts'
export {
  type Contract,
  finalTerm,
  INVALID_TERM_INDEX_MESSAGE,
  meetsNonRenewalDeadline,
  NON_RENEWAL_NOTICE,
  nthTerm,
  TERM_LENGTH,
  type Term,
  termAt,
} from './term.ts'
