import { expect, it } from 'vitest'
import { countBy } from './counted.ts'

it('deduplicates by key, counts, and sorts by key', () => {
  const items = [{ n: 'b' }, { n: 'a' }, { n: 'b' }, { n: 'c' }, { n: 'b' }]
  expect(countBy(items, (i) => i.n)).toEqual([
    { n: 'a', count: 1 },
    { n: 'b', count: 3 },
    { n: 'c', count: 1 },
  ])
})

it('keeps the first item of a key and does not alter the input', () => {
  const items = [
    { k: 'x', v: 1 },
    { k: 'x', v: 2 },
  ]
  expect(countBy(items, (i) => i.k)).toEqual([{ k: 'x', v: 1, count: 2 }])
  expect(items[0]).toEqual({ k: 'x', v: 1 })
})
