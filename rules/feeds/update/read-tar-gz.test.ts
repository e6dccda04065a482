import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readTarGz } from './read-tar-gz.ts'
import { writeTarGz } from './write-tar-gz.ts'

const decode = (d: Uint8Array) => new TextDecoder().decode(d)

describe('readTarGz', () => {
  it('reads regular files, long names and pax paths, skipping directories', () => {
    const long = `maltrail-master/trails/static/malware/${'x'.repeat(90)}.txt`
    const record = ' path=rules/from-pax.rules\n'
    const pax = new TextEncoder().encode(`${record.length + 2}${record}`) // length counts itself
    const gz = writeTarGz([
      { name: 'rules/', data: '', type: '5' },
      { name: 'rules/emerging-dns.rules', data: 'alert dns any any -> any any (sid:1;)\n' },
      { name: long, data: 'evil.example\n' },
      { name: 'PaxHeader', data: pax, type: 'x' },
      { name: 'ignored-short-name', data: 'pax\n' },
    ])
    const result = readTarGz(gz)
    if ('error' in result) throw new Error(result.error)
    expect(result.files.map((f) => [f.name, decode(f.data)])).toEqual([
      ['rules/emerging-dns.rules', 'alert dns any any -> any any (sid:1;)\n'],
      [long, 'evil.example\n'],
      ['rules/from-pax.rules', 'pax\n'],
    ])
  })

  it('refuses names that climb out of the target folder', () => {
    for (const name of ['../etc/passwd', 'rules/../../x', '/abs/path'])
      expect(readTarGz(writeTarGz([{ name, data: 'x' }]))).toEqual({
        error: `unsafe member name ${JSON.stringify(name)}`,
      })
  })

  it('reports what is not an archive, and caps what it inflates', () => {
    expect(readTarGz(new TextEncoder().encode('plain text'))).toHaveProperty('error')
    const big = writeTarGz([{ name: 'a', data: new Uint8Array(4096) }])
    expect(readTarGz(big, 1024)).toHaveProperty('error')
  })

  it('never throws on damaged archives', () => {
    const good = writeTarGz([
      { name: 'rules/a.rules', data: 'alert ip any any -> any any (sid:1;)' },
    ])
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          maxLength: 8,
        }),
        fc.nat(good.length),
        (flips, cut) => {
          const bytes = new Uint8Array(good.subarray(0, Math.max(cut, 1)))
          for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value
          const result = readTarGz(bytes)
          expect('files' in result || 'error' in result).toBe(true)
        },
      ),
    )
  })
})
