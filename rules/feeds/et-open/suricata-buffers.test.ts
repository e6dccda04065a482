import { describe, expect, it } from 'vitest'
import { PAYLOAD, parsePcre, parseSize, protoOfField } from './suricata-buffers.ts'

describe('parseSize', () => {
  it.each([
    ['12', { min: 12, max: 12 }],
    ['<40', { max: 39 }],
    ['>3', { min: 4 }],
    ['10<>20', { min: 11, max: 19 }], // Suricata ranges are exclusive
    ['abc', undefined],
  ])('%s', (text, size) => {
    expect(parseSize(text)).toEqual(size)
  })
})

describe('parsePcre', () => {
  it('maps flags, buffer flags and refuses what JavaScript cannot do', () => {
    expect(parsePcre('"/a+b/Ui"', undefined)).toEqual({
      source: 'a+b',
      flags: 'i',
      field: 'http.uri',
    })
    expect(parsePcre('"/x/Rs"', 'dns.query')).toEqual({
      source: 'x',
      flags: 's',
      field: 'dns.query',
    })
    expect(parsePcre('"/x/"', undefined)).toEqual({ source: 'x', flags: '', field: PAYLOAD })
    expect(parsePcre('"/x/G"', undefined)).toBe('pcre flag G has no JavaScript equivalent')
    expect(parsePcre('"/(?<=a/"', undefined)).toBe(
      'pcre is not a valid JavaScript regular expression',
    )
    expect(parsePcre('"x"', undefined)).toBe('pcre not in /…/flags form')
  })
})

describe('protoOfField', () => {
  it.each([
    ['dns.query', 'dns'],
    ['tls.sni', 'tls'],
    ['ja3.hash', 'tls'],
    ['http.uri', 'http'],
    ['file.data', 'http'],
    [PAYLOAD, undefined],
  ])('%s → %s', (field, proto) => {
    expect(protoOfField(field)).toBe(proto)
  })
})
