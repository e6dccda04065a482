/**
 * @module money
 * Integer yen. The yen has no minor unit in practice, so every amount is a safe integer and
 * fractions appear only inside `prorate`, which says which way it rounds. `Yen` is a branded
 * number so a day count or an index cannot be passed where money is expected.
 */
import { assert } from './assert.ts'

export type Yen = number & { readonly __unit: 'JPY' }

/**
 * Which way a fraction of a yen goes. `down` is toward zero-or-less (floor), `up` is toward
 * the next whole yen (ceiling); callers choose the direction that favours the customer.
 */
export type Rounding = 'down' | 'up'

export const NOT_WHOLE_YEN_MESSAGE = 'Amounts must be safe integers of yen.'
export const INVALID_RATIO_MESSAGE = 'A ratio needs a whole numerator >= 0 and denominator > 0.'

/**
 * @example
 * yen(1200) //=> 1200
 * yen(0.5)  // throws: no fractional yen
 */
export function yen(amount: number): Yen {
  assert(Number.isSafeInteger(amount), NOT_WHOLE_YEN_MESSAGE)
  return amount as Yen
}

export const ZERO_YEN = yen(0)

export function addYen(a: Yen, b: Yen): Yen {
  return yen(a + b)
}

export function subtractYen(a: Yen, b: Yen): Yen {
  return yen(a - b)
}

export function multiplyYen(amount: Yen, factor: number): Yen {
  assert(Number.isSafeInteger(factor), NOT_WHOLE_YEN_MESSAGE)
  return yen(amount * factor)
}

export function sumYen(amounts: readonly Yen[]): Yen {
  return amounts.reduce(addYen, ZERO_YEN)
}

export function minYen(a: Yen, b: Yen): Yen {
  return a <= b ? a : b
}

export function maxYen(a: Yen, b: Yen): Yen {
  return a >= b ? a : b
}

/**
 * `amount × numerator ÷ denominator`, rounded once at the end. Computed in BigInt so the
 * intermediate product cannot lose precision, and rounded once so that per-step rounding
 * errors do not pile up across days.
 * @example
 * prorate(yen(100_000), 10, 365, 'down') //=> 2739
 * prorate(yen(100_000), 10, 365, 'up')   //=> 2740
 */
export function prorate(
  amount: Yen,
  numerator: number,
  denominator: number,
  rounding: Rounding,
): Yen {
  assert(
    Number.isSafeInteger(numerator) &&
      Number.isSafeInteger(denominator) &&
      numerator >= 0 &&
      denominator > 0,
    INVALID_RATIO_MESSAGE,
  )
  const product = BigInt(amount) * BigInt(numerator)
  const den = BigInt(denominator)
  let quotient = product / den // BigInt division truncates toward zero
  const exact = quotient * den === product
  if (!exact && rounding === 'down' && product < 0n) quotient -= 1n
  if (!exact && rounding === 'up' && product > 0n) quotient += 1n
  return yen(Number(quotient))
}

/**
 * @example
 * formatYen(yen(3_000_000)) //=> '¥3,000,000'
 */
export function formatYen(amount: Yen): string {
  const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${amount < 0 ? '-' : ''}¥${digits}`
}
