import { describe, expect, it } from 'vitest'
import { encodeEvents } from '../run/wire-batch.ts'
import { internalHosts } from './internal-hosts.ts'

describe('internal hosts of a batch', () => {
  it('takes src and dst addresses marked internal, each once', () => {
    const batch = encodeEvents([
      ev('conn', ['10.0.0.5', true], ['8.8.8.8', false]),
      ev('dns', ['10.0.0.5', true], ['10.0.0.1', true]),
      ev('conn', ['203.0.113.9', false], ['192.168.1.20', true]),
    ])
    expect([...internalHosts(batch)].sort()).toEqual(['10.0.0.1', '10.0.0.5', '192.168.1.20'])
  })
})

function ev(kind: string, src: [string, boolean], dst: [string, boolean]) {
  return {
    kind,
    ts: 1_700_000_000_000,
    'src.ip': src[0],
    'src.internal': src[1],
    'dst.ip': dst[0],
    'dst.internal': dst[1],
  }
}
