/**
 * Runs inside namespace `a`: the test edges (ingest, and heartbeats/packs) behind one local
 * address, then `socbox run --interface IF` as a user starts it; sends DNS queries and an HTTP
 * request to the peer, stops the agent with SIGTERM (which ends the open flows and delivers them)
 * and prints one JSON line: `{ exit, events, heartbeats }`.
 */
import { spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ROOT } from '../../scripts/proc.ts'
import { LocalEdge } from '../../sensor-native/src/run/local-edge.ts'
import { PackAndHeartbeatEdge } from '../../sensor-native/src/run/pack-and-heartbeat-edge.ts'

const { values } = parseArgs({ options: { iface: { type: 'string' }, peer: { type: 'string' } } })
const iface = values.iface as string
const peer = values.peer as string
const TOKEN = `sbs1.sensor-live.${'b'.repeat(43)}`

const ingest = await LocalEdge.start()
const health = await PackAndHeartbeatEdge.start(TOKEN)
// One address for the agent: /v1/ingest to the ingest edge, the rest to the health edge.
const front = createServer((req, res) => {
  const target = new URL(req.url === '/v1/ingest' ? ingest.url : health.url)
  const out = request(
    {
      host: target.hostname,
      port: target.port,
      path: req.url,
      method: req.method,
      headers: req.headers,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  req.pipe(out)
})
await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
const edgeUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`

const spool = mkdtempSync(join(tmpdir(), 'socbox-live-agent-'))
const agent = spawn(
  process.execPath,
  [
    join(ROOT, 'bin/socbox.ts'),
    'run',
    '--interface',
    iface,
    '--edge',
    edgeUrl,
    '--token',
    TOKEN,
    '--spool-dir',
    spool,
    '--batch-interval',
    '100ms',
    '--heartbeat-interval',
    '300ms',
    '--pack-poll',
    '0',
  ],
  { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
)
let stdout = ''
let stderr = ''
agent.stdout.on('data', (d: Buffer) => (stdout += d))
agent.stderr.on('data', (d: Buffer) => (stderr += d))
const exited = new Promise<number | null>((resolve) => agent.on('exit', (code) => resolve(code)))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// The agent is capturing once it sends its first heartbeat.
for (let i = 0; i < 150 && health.heartbeats.length === 0 && agent.exitCode === null; i++)
  await sleep(100)
const udp = createSocket('udp4')
await new Promise<void>((resolve, reject) =>
  udp.send(
    Buffer.from(
      'abcd01000001000000000000096167656e742d6f6e65076578616d706c65036f72670000010001',
      'hex',
    ),
    53,
    peer,
    (err) => (err ? reject(err) : resolve()),
  ),
)
udp.close()
await (await fetch(`http://${peer}:8080/agent-check.txt`)).arrayBuffer()
// Delivered within a few batch intervals.
for (let i = 0; i < 100 && !ingest.events().some((e) => e.kind === 'http'); i++) await sleep(100)
await sleep(700)
agent.kill('SIGTERM')
const code = await exited
front.close()
rmSync(spool, { recursive: true, force: true })
process.stdout.write(
  `${JSON.stringify({
    exit: code,
    stderr: stderr.slice(-2000),
    summary: stdout.trim().split('\n').at(-1),
    events: ingest.events(),
    heartbeats: health.heartbeats.map((h) => h.body),
  })}\n`,
)
process.exit(0)
