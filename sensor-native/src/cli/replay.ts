/**
 * `socbox replay FILE --edge URL --token TOKEN`: read a capture through the real sensor and
 * deliver its events to an edge, batch by batch, as a sensor would. Prints a JSON summary on
 * stdout; progress and retries go to stderr.
 */
import { randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { postBatch } from '../agent/ingest-client.ts'
import { progress } from '../agent/progress.ts'
import { type CaptureArgs, openCapture, parseCaptureArgs, UsageError } from '../options.ts'

const HELP = `usage: socbox replay FILE --edge URL --token TOKEN [--batch N] [--home-net CIDR,...] [--plan FILE|none]

Reads a pcap/pcapng capture with the sensor and posts its events to the edge's /v1/ingest.
  --edge      base URL of the edge, e.g. http://127.0.0.1:8787
  --token     the sensor credential issued at registration (or env SOCBOX_TOKEN)
  --batch     events per batch (default 1000)
`

export async function main(argv: string[]): Promise<number> {
  let args: CaptureArgs | undefined
  let edge: string
  let token: string
  let batchSize: number
  try {
    args = parseCaptureArgs(argv, ['edge', 'token', 'batch'])
    if (!args) {
      process.stdout.write(HELP)
      return 0
    }
    edge = args.values.edge ?? process.env.SOCBOX_EDGE ?? ''
    token = args.values.token ?? process.env.SOCBOX_TOKEN ?? ''
    if (!/^https?:\/\//.test(edge))
      throw new UsageError('--edge needs an http(s) URL, e.g. http://127.0.0.1:8787')
    if (token === '')
      throw new UsageError(
        '--token is required (the credential printed when the sensor was registered)',
      )
    batchSize = Number(args.values.batch ?? 1000)
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
      throw new UsageError('--batch must be a whole number from 1 to 100000')
    }
  } catch (err) {
    process.stderr.write(`socbox replay: ${(err as Error).message}\n\n${HELP}`)
    return 2
  }
  const { file, options } = args

  const source = openCapture('replay', file, options.options)
  if (!source) return 2

  const boot = randomUUID()
  const bar = progress(`replay ${file}`)
  const totals = { batches: 0, events: 0, accepted: 0, alerts: 0, wireBytes: 0 }
  for (let seq = 1; ; seq++) {
    const batch = source.nextBatch(batchSize)
    if (batch === null) break
    const body = gzipSync(batch)
    const reply = await postBatch(
      { edge, token },
      body,
      { boot, seq },
      {
        onRetry: (attempt, delay, reason) =>
          process.stderr.write(`socbox replay: ${reason}; retry ${attempt} in ${delay} ms\n`),
      },
    )
    totals.batches++
    totals.wireBytes += body.byteLength
    totals.accepted += reply.accepted
    totals.alerts += reply.alerts
    bar.update(source.stats(), `${totals.alerts} alerts`)
  }
  bar.done()
  const s = source.stats()
  totals.events = s.events
  process.stderr.write(
    `socbox replay: ${file}: ${s.packets} packets, ${s.events} events in ${totals.batches} batches; edge accepted ${totals.accepted} events and raised ${totals.alerts} alerts\n`,
  )
  process.stdout.write(`${JSON.stringify({ file, boot, ...totals, malformed: s.malformed })}\n`)
  return 0
}
