/**
 * `socbox detect CAPTURE...`: the sensor and the compiled default rule pack, offline in one
 * process. Each capture is decoded natively (intel matched by the pack's match plan), evaluated
 * by the same runtime as the edge, flushed at its end, deduplicated like the default policy, and
 * its alerts printed. stdout carries alerts only; counts and problems go to stderr.
 */
import { parseArgs } from 'node:util'
import { openCapture } from '../detect/capture-batches.ts'
import { type AlertLine, alertLine, ndjson, table } from '../detect/format-alerts.ts'
import { loadPack } from '../detect/load-pack.ts'
import { runDetection } from '../detect/run-detection.ts'
import { parseHomeNets, UsageError } from '../options.ts'

const HELP = `usage: socbox detect CAPTURE... [--format table|ndjson] [--home-net CIDR,...] [--pack PACK.json]

Runs the sensor and the rule pack over pcap/pcapng captures and prints the alerts.
  --format     table (default, for people) or ndjson (one alert per line: rule, class, severity,
               ts in ms, src and dst {ip, port}, title in English, count of repeats)
  --home-net   networks counted as internal (default: RFC 1918, 100.64/10, fc00::/7, link-local)
  --pack       a compiled rule pack (default: the built default pack, rules/dist/pack.json)
Exit status: 0 when every capture was readable, 2 otherwise.
`

export async function main(argv: string[]): Promise<number> {
  let files: string[]
  let format: 'table' | 'ndjson'
  let homeNets: string[] | undefined
  let packPath: string | undefined
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'table' },
        'home-net': { type: 'string' },
        pack: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help) {
      process.stdout.write(HELP)
      return 0
    }
    if (positionals.length === 0) throw new UsageError('give at least one capture file')
    if (values.format !== 'table' && values.format !== 'ndjson')
      throw new UsageError(`--format is table or ndjson, not ${values.format}`)
    files = positionals
    format = values.format
    homeNets = parseHomeNets(values['home-net'])
    packPath = values.pack
  } catch (err) {
    process.stderr.write(`socbox detect: ${(err as Error).message}\n\n${HELP}`)
    return 2
  }

  const loaded = loadPack(packPath)
  if ('error' in loaded) {
    process.stderr.write(`socbox detect: ${loaded.error}\n`)
    return 2
  }
  let status = 0
  const table_: AlertLine[] = []
  for (const file of files) {
    const started = performance.now()
    const capture = openCapture(file, loaded.pack, homeNets)
    if ('error' in capture) {
      process.stderr.write(`socbox detect: ${file}: ${capture.error}\n`)
      status = 2
      continue
    }
    const { alerts, errors, events } = runDetection(loaded.pack, capture.batches)
    const lines = alerts.map((alert) => alertLine(file, alert))
    if (format === 'ndjson') process.stdout.write(ndjson(lines))
    else table_.push(...lines)
    for (const error of errors)
      process.stderr.write(
        `socbox detect: rule ${error.rule}: ${error.message} (×${error.count})\n`,
      )
    const s = capture.source.stats()
    const seconds = (performance.now() - started) / 1000
    process.stderr.write(
      `socbox detect: ${file}: ${s.packets} packets, ${events} events, ${alerts.length} alert(s), ${s.malformed} malformed packets in ${seconds.toFixed(2)} s\n`,
    )
  }
  if (format === 'table') process.stdout.write(table(table_))
  return status
}
