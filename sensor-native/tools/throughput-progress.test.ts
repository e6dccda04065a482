import { expect, it } from 'vitest'
import { throughputProgress } from './throughput-progress.ts'

it('prints MB, MB/s and ETA, throttled, and a final line', () => {
  const lines: string[] = []
  const stream = {
    isTTY: false,
    write: (s: string) => lines.push(s),
  } as unknown as NodeJS.WriteStream
  let t = 0
  const p = throughputProgress('gen', 1000e6, stream, () => t)
  t = 1000
  p.update(100e6) // too soon after the start: not printed
  t = 6000
  p.update(300e6)
  t = 10_000
  expect(p.done(1000e6)).toBe('gen: 1000 MB in 10.0 s, 100 MB/s')
  expect(lines).toEqual([
    'gen: 300 MB in 6.0 s, 50 MB/s, eta 14 s\n',
    'gen: 1000 MB in 10.0 s, 100 MB/s\n',
  ])
})

it('estimates from the share done when the size is not known ahead', () => {
  const lines: string[] = []
  const stream = {
    isTTY: false,
    write: (s: string) => lines.push(s),
  } as unknown as NodeJS.WriteStream
  let t = 0
  const p = throughputProgress('flows', undefined, stream, () => t)
  t = 10_000
  p.update(50e6, 0.25)
  expect(lines).toEqual(['flows: 50 MB in 10.0 s, 5 MB/s, eta 30 s\n'])
})
