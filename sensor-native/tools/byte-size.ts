/** Sizes as people write them: `1GB`, `500MB`, `64KiB`, `1000`. Decimal units are powers of 1000. */
const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
}

export function parseByteSize(text: string): number | Error {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const unit = UNITS[(m?.[2] ?? '').toLowerCase()]
  if (!m || unit === undefined) return new Error(`not a size: "${text}" (try 1GB, 500MB, 64KiB)`)
  return Math.round(Number(m[1]) * unit)
}
