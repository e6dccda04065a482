import { expect, it } from 'vitest'
import { asTsharkShows } from './tshark-text-view.ts'

it('leaves plain text alone', () => {
  expect(asTsharkShows('www.example.com')).toBe('www.example.com')
})

it('shows invalid UTF-8 bytes as U+FFFD and valid sequences as their characters', () => {
  // bytes as iodine puts them in labels (C2/ndpi__dns-tunnel-iodine.pcap)
  expect(asTsharkShows('82\\2022hb\\190\\238y')).toBe('82\uFFFD2hb\uFFFD\uFFFDy')
  expect(asTsharkShows('q2\\199\\191x')).toBe('q2ǿx')
})

it('counts a lead byte with too few continuation bytes as one character, as tshark does', () => {
  // byte runs from iodine labels, with what tshark 4.0.17 shows for them
  expect(asTsharkShows('hin\\251\\189qp')).toBe('hin\uFFFDqp') // FB BD: a cut 5-byte sequence
  expect(asTsharkShows('\\247\\191\\222v')).toBe('\uFFFD\uFFFDv') // F7 BF | DE
  expect(asTsharkShows('m\\237\\191dna')).toBe('m\uFFFDdna') // ED BF: no surrogate-range check
  expect(asTsharkShows('2k\\224\\245\\191\\192\\250\\213\\212\\251fl')).toBe(
    `2k${'\uFFFD'.repeat(7)}fl`,
  )
})

it('unescapes dots and backslashes inside labels', () => {
  expect(asTsharkShows('a\\.b.c\\\\d')).toBe('a.b.c\\d')
})
