import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ephemeralRange, freePort } from './proc.ts'

describe('freePort', () => {
  it('gives a port below the ephemeral range that a server can then listen on', async () => {
    const [first, last] = ephemeralRange()
    expect(first).toBeLessThanOrEqual(last)
    const ports = await Promise.all(Array.from({ length: 8 }, () => freePort()))
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000)
      expect(port).toBeLessThan(first)
      await new Promise<void>((resolve, reject) => {
        const server = createServer()
        server.once('error', reject)
        server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
      })
    }
  })
})
