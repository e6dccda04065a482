import { describe, expect, it } from 'vitest'
import { licenceOfEtSid } from './sid-licence.ts'

describe('licenceOfEtSid', () => {
  it.each([
    [1, 'GPL-2.0-only'],
    [3464, 'GPL-2.0-only'],
    [3465, undefined],
    [1001000, undefined], // malicious_ips.rules: a third party's rules
    [2000000, 'BSD-3-Clause'],
    [2799999, 'BSD-3-Clause'],
    [2800000, undefined],
    [100000000, 'GPL-2.0-only'],
    [100000908, 'GPL-2.0-only'],
    [100000909, undefined],
  ])('sid %i → %s', (sid, licence) => {
    expect(licenceOfEtSid(sid)).toBe(licence)
  })
})
