// One entry point so importers never pick a normaliser by hand.
import type { Ioc } from '../model/indicator.ts'
import type { Result } from '../model/result.ts'
import { normaliseDomain } from './domain.ts'
import { normaliseHash, normaliseJa3, normaliseJa4 } from './hash.ts'
import { normaliseIp } from './ip.ts'
import { normaliseUrl } from './url.ts'

const NORMALISERS: Record<Ioc, (raw: string) => Result<string>> = {
  domain: normaliseDomain,
  ip: normaliseIp,
  url: normaliseUrl,
  ja3: normaliseJa3,
  ja4: normaliseJa4,
  hash: normaliseHash,
}

export function normaliseIndicator(ioc: Ioc, raw: string): Result<string> {
  return NORMALISERS[ioc](raw)
}
