/** @module assert: one error prefix for every precondition this package checks. */

const PREFIX = '[socbox/contracts]'

/**
 * Throws a RangeError when `condition` is false. Callers pass constant messages so that
 * tests and logs can match on them.
 */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new RangeError(`${PREFIX} ${message}`)
}
