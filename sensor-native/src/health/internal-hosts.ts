/** The internal hosts of a wire batch: `src.ip` and `dst.ip` of events that mark them internal. */
import type { WireBatch } from '../run/wire-batch.ts'

export function internalHosts(batch: WireBatch): Set<string> {
  const hosts = new Set<string>()
  for (const group of batch.groups) {
    for (const side of ['src', 'dst']) {
      const ips = group.cols[`${side}.ip`]
      const internal = group.cols[`${side}.internal`]
      if (!ips || !internal) continue
      for (let i = 0; i < group.n; i++) {
        const ip = ips[i]
        if (internal[i] === true && typeof ip === 'string') hosts.add(ip)
      }
    }
  }
  return hosts
}
