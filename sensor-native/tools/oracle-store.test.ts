import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { isCurrent, type OracleFile, oraclePath, readOracle, writeOracle } from './oracle-store.ts'

const file: OracleFile = {
  sha256: 'ab'.repeat(32),
  capture: 'X/y.pcap',
  tshark: '4.0.17',
  extraction: 1,
  problems: [],
  dns: [
    {
      query: 'a.example',
      qtype: 'A',
      rcode: 'NOERROR',
      proto: 'udp',
      answers: [['A', '192.0.2.1']],
      count: 2,
    },
  ],
  tls: [],
  http: [{ method: 'GET', host: 'a.example', uri: '/', count: 1 }],
  flows: { tcp: 1, udp: 1 },
}

it('writes one item per line and reads the same file back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oracle-'))
  writeOracle(dir, file)
  expect(readOracle(dir, file.sha256)).toEqual(file)
  expect(readOracle(dir, 'cd'.repeat(32))).toBeUndefined()
})

it('reports an unreadable file as an error value', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oracle-'))
  writeFileSync(oraclePath(dir, file.sha256), '{not json')
  expect(readOracle(dir, file.sha256)).toBeInstanceOf(Error)
})

it('is current only for the same tshark and extraction versions', () => {
  expect(isCurrent(file, '4.0.17', 1)).toBe(true)
  expect(isCurrent(file, '4.2.0', 1)).toBe(false)
  expect(isCurrent(file, '4.0.17', 2)).toBe(false)
  expect(isCurrent(undefined, '4.0.17', 1)).toBe(false)
})
