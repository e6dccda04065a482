/**
 * Two network namespaces joined by a veth pair, for live-capture tests: `a` (10.77.x.1, where
 * the sensor captures on its end of the pair) and `b` (10.77.x.2, where small servers answer).
 * Needs root (or CAP_NET_ADMIN); `remove()` always deletes both namespaces, which also removes
 * the pair and kills nothing else.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'

export type NetnsPair = {
  a: string
  b: string
  ifA: string
  ipA: string
  ipB: string
  /** Starts a long-running command inside `b`. */
  spawnInB(cmd: string, args: string[]): ChildProcess
  remove(): void
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] })

/** Why live tests cannot run here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux')
    return `live capture is Linux-only (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'live capture and network namespaces need root'
  const probe = `sbx-probe-${process.pid}`
  try {
    ip('netns', 'add', probe)
  } catch (err) {
    return `cannot create a network namespace (ip netns add): ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`
  } finally {
    try {
      ip('netns', 'del', probe)
    } catch {}
  }
  return undefined
}

export function createNetnsPair(): NetnsPair {
  const tag = `${process.pid % 100_000}`
  const subnet = 1 + (process.pid % 250)
  const a = `sbx-a-${tag}`
  const b = `sbx-b-${tag}`
  const ifA = `sbxa${tag}`
  const ifB = `sbxb${tag}`
  const ipA = `10.77.${subnet}.1`
  const ipB = `10.77.${subnet}.2`
  const children: ChildProcess[] = []
  const remove = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    for (const ns of [a, b]) {
      try {
        ip('netns', 'del', ns)
      } catch {}
    }
  }
  try {
    ip('netns', 'add', a)
    ip('netns', 'add', b)
    ip('link', 'add', ifA, 'netns', a, 'type', 'veth', 'peer', 'name', ifB, 'netns', b)
    ip('-n', a, 'addr', 'add', `${ipA}/24`, 'dev', ifA)
    ip('-n', b, 'addr', 'add', `${ipB}/24`, 'dev', ifB)
    for (const [ns, dev] of [
      [a, ifA],
      [b, ifB],
      [a, 'lo'],
      [b, 'lo'],
    ] as const)
      ip('-n', ns, 'link', 'set', dev, 'up')
  } catch (err) {
    remove()
    throw new Error(
      `setting up the namespaces failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`,
    )
  }
  return {
    a,
    b,
    ifA,
    ipA,
    ipB,
    spawnInB(cmd, args) {
      const child = spawn('ip', ['netns', 'exec', b, cmd, ...args], { stdio: 'ignore' })
      children.push(child)
      return child
    },
    remove,
  }
}
