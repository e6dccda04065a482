import { expect, it } from 'vitest'
import { normalizeName, qtypeName, rcodeName } from './dns-names.ts'

it('names known qtypes and spells unknown ones TYPE<n>', () => {
  expect(qtypeName(1)).toBe('A')
  expect(qtypeName(28)).toBe('AAAA')
  expect(qtypeName(65)).toBe('HTTPS')
  expect(qtypeName(4660)).toBe('TYPE4660')
})

it('names rcodes', () => {
  expect(rcodeName(0)).toBe('NOERROR')
  expect(rcodeName(3)).toBe('NXDOMAIN')
  expect(rcodeName(15)).toBe('RCODE15')
})

it('lowercases names and drops the trailing dot and the root marker', () => {
  expect(normalizeName('WWW.Example.COM.')).toBe('www.example.com')
  expect(normalizeName('<Root>')).toBe('.')
  expect(normalizeName('Ǿ.Example')).toBe('Ǿ.example')
})
