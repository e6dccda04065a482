import { describe, expect, it } from 'vitest'
import { chooseLocale, fromAcceptLanguage } from './locale.ts'

describe('chooseLocale', () => {
  it('prefers ?lang=, then the cookie, then the user setting, then Accept-Language', () => {
    const all = { query: 'en', cookie: 'ja', user: 'ja', acceptLanguage: 'ja' } as const
    expect(chooseLocale(all)).toBe('en')
    expect(chooseLocale({ ...all, query: undefined })).toBe('ja')
    expect(chooseLocale({ cookie: 'en', user: 'ja' })).toBe('en')
    expect(chooseLocale({ user: 'ja', acceptLanguage: 'en' })).toBe('ja')
    expect(chooseLocale({ acceptLanguage: 'ja-JP,ja;q=0.9' })).toBe('ja')
    expect(chooseLocale({})).toBe('en')
  })

  it('ignores unsupported values instead of trusting them', () => {
    expect(chooseLocale({ query: 'fr', cookie: '<script>', user: 'ja' })).toBe('ja')
  })
})

describe('fromAcceptLanguage', () => {
  it('ranks by q-value and skips languages we do not have', () => {
    expect(fromAcceptLanguage('fr;q=1, en;q=0.5, ja;q=0.8')).toBe('ja')
    expect(fromAcceptLanguage('de, fr')).toBeUndefined()
    expect(fromAcceptLanguage('ja;q=0, en')).toBe('en')
  })
})
