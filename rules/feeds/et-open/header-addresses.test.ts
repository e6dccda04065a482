import { describe, expect, it } from 'vitest'
import { parseHeaderAddresses, singlePort } from './header-addresses.ts'

describe('parseHeaderAddresses', () => {
  it('reads literal lists and single addresses', () => {
    expect(parseHeaderAddresses('[1.2.3.4, 10.0.0.5/8,2001:DB8::1]')).toEqual({
      kind: 'literal',
      addresses: ['1.2.3.4', '10.0.0.0/8', '2001:db8::1'],
    })
    expect(parseHeaderAddresses('162.243.103.246')).toEqual({
      kind: 'literal',
      addresses: ['162.243.103.246'],
    })
  })
  it('treats variables as not-indicators and refuses negation', () => {
    expect(parseHeaderAddresses('$HOME_NET')).toEqual({ kind: 'variable' })
    expect(parseHeaderAddresses('any')).toEqual({ kind: 'variable' })
    expect(parseHeaderAddresses('[1.2.3.4,!5.6.7.8]')).toEqual({
      kind: 'invalid',
      reason: 'negated address in header',
    })
  })
  it('reads single ports only', () => {
    expect(singlePort('8080')).toBe(8080)
    expect(singlePort('[443]')).toBe(443)
    expect(singlePort('any')).toBeUndefined()
    expect(singlePort('[80,443]')).toBeUndefined()
    expect(singlePort('$HTTP_PORTS')).toBeUndefined()
  })
})
