/** The drizzle handle on D1, created once per request by middleware. */
import { drizzle } from 'drizzle-orm/d1'
import * as schema from './schema.ts'

export function openDatabase(d1: D1Database) {
  return drizzle(d1, { schema })
}

export type Database = ReturnType<typeof openDatabase>

/**
 * D1 allows at most 100 bound parameters per statement, so multi-row inserts are cut into
 * chunks whose rows together stay under that limit.
 */
export const D1_MAX_PARAMS = 100

export function chunkRows<T extends object>(rows: T[]): T[][] {
  const first = rows[0]
  if (!first) return []
  const perRow = Object.keys(first).length
  const size = Math.max(1, Math.floor(D1_MAX_PARAMS / perRow))
  const chunks: T[][] = []
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size))
  return chunks
}
