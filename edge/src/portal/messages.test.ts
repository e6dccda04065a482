import { describe, expect, it } from 'vitest'
import { locales } from '../db/schema.ts'
import { classLabel, messages } from './messages.ts'

describe('portal message catalog', () => {
  it('has a non-empty English and Japanese text for every key', () => {
    const missing: string[] = []
    for (const [key, entry] of Object.entries(messages)) {
      for (const locale of locales) {
        const text = (entry as Record<string, unknown>)[locale]
        if (typeof text !== 'string' || text.trim() === '') missing.push(`${key}.${locale}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('has Japanese text that is not a copy of the English, except for names', () => {
    const untranslated = Object.entries(messages)
      .filter(([key, e]) => e.en === e.ja && key !== 'app.name')
      .map(([key]) => key)
    expect(untranslated).toEqual([])
  })

  it('labels every threat class of the service terms in both languages', () => {
    const classes = ['recon.scan', 'site.redirector', 'site.compromised', 'site.malvertising']
    classes.push('site.exploit', 'site.fingerprint', 'download.malware', 'download.exploit-kit')
    classes.push('malware.c2', 'malware.ransomware', 'malware.lateral', 'suspicious.tor')
    for (const c of classes) {
      expect(classLabel('en', c)).not.toBe(c)
      expect(classLabel('ja', c)).not.toBe(c)
    }
    expect(classLabel('ja', 'info.unknown')).toBe('info.unknown')
  })
})
