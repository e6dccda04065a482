import { describe, expect, it } from 'vitest'
import { closestName } from './closest-name.ts'

describe('closestName', () => {
  it('finds a typo and ignores unrelated names', () => {
    expect(closestName('qeury', ['query', 'qtype', 'rcode'])).toBe('query')
    expect(closestName('src.pi', ['src.ip', 'dst.ip'])).toBe('src.ip')
    expect(closestName('banana', ['query', 'qtype'])).toBeUndefined()
  })
})
