// A small result type so normalisers return a reason instead of throwing.
export type Result<T> = { ok: true; value: T } | { ok: false; reason: string }

export function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

export function fail<T>(reason: string): Result<T> {
  return { ok: false, reason }
}
