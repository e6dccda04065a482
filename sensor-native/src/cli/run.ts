/**
 * `socbox run [SOURCE] [--config FILE] [--edge URL] [--token T] …`: the long-running sensor
 * agent. Settings come from flags, then SOCBOX_* environment variables, then the config file
 * (JSON with comments), then defaults. Prints a JSON summary on stdout when it stops; progress,
 * spool reports and retries go to stderr.
 */
import { parseArgs } from 'node:util'
import { progress } from '../agent/progress.ts'
import { Agent } from '../run/agent.ts'
import { describeProblem, KEYS, loadConfig } from '../run/config.ts'

const HELP = `usage: socbox run [SOURCE] [--config FILE] [options]

Runs the sensor agent: reads SOURCE (a capture file, an events file from 'socbox events', or an
interface), spools its events on disk and delivers them to the edge exactly once, across edge
outages and agent restarts. A file source ends the run once the edge holds all of it; SIGINT or
SIGTERM stops after flushing (spool synced, then a grace period to deliver what is queued).

settings: flag, environment variable, "key" in the config file (JSON with comments); flags win,
then the environment, then the file:
${KEYS.map((k) => `  --${k.flag.padEnd(15)} ${k.env.padEnd(22)} "${k.name}"\n      ${k.doc}`).join('\n')}
  --config          SOCBOX_CONFIG          the config file
  --interface IF                           capture live on IF (root or CAP_NET_RAW), as --source IF

  SOURCE may be given as the only argument instead of --source.
  Sizes take units (512MiB, 2GiB); durations take ms, s or m (250ms, 2s).
  --speed 0 replays as fast as possible; 1 at the capture's own pace; 10 ten times faster.
`

export async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>
  let positionals: string[]
  try {
    const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
      config: { type: 'string' },
      interface: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    }
    for (const k of KEYS) options[k.flag] = { type: 'string' }
    ;({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options }))
  } catch (err) {
    process.stderr.write(`socbox run: ${(err as Error).message}\n\n${HELP}`)
    return 2
  }
  if (values.help) {
    process.stdout.write(HELP)
    return 0
  }
  if (positionals.length > 1) {
    process.stderr.write(
      `socbox run: give at most one source, not ${positionals.length}\n\n${HELP}`,
    )
    return 2
  }
  const flags: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string') flags[k] = v
  if (flags.interface !== undefined) {
    if (flags.source !== undefined || positionals[0] !== undefined) {
      process.stderr.write('socbox run: give either --interface or a source file, not both\n')
      return 2
    }
    if (
      flags.interface.includes('/') ||
      /\.(pcap|pcapng|cap|ndjson|jsonl)$/i.test(flags.interface)
    ) {
      process.stderr.write(
        `socbox run: --interface ${flags.interface} is a file name; give an interface name (ip link) or the file as the source\n`,
      )
      return 2
    }
    flags.source = flags.interface
    delete flags.interface
  }
  if (positionals[0] !== undefined) flags.source ??= positionals[0]
  const loaded = loadConfig({
    flags,
    env: process.env,
    configPath: flags.config ?? process.env.SOCBOX_CONFIG,
  })
  if (!loaded.ok) {
    const lines = loaded.problems.map((p) => `  ${describeProblem(p)}`).join('\n')
    process.stderr.write(
      `socbox run: the settings have problems:\n${lines}\n\nRun 'socbox run --help' for all settings.\n`,
    )
    return 2
  }
  const { config } = loaded

  const label = config.source.kind === 'interface' ? config.source.name : config.source.path
  const bar = progress(`run ${label}`)
  const log = (line: string) => {
    bar.done()
    process.stderr.write(`socbox run: ${line}\n`)
  }
  const agent = new Agent(config, { log, onProgress: (stats, extra) => bar.update(stats, extra) })
  let signals = 0
  const onSignal = (signal: NodeJS.Signals) => {
    signals++
    if (signals > 1) {
      // A second signal: the spool is synced on every commit, so leaving now loses nothing
      // that was committed; only the batch being gathered is read again on the next start.
      log(`${signal} again: leaving without waiting for the edge`)
      process.exit(130)
    }
    log(`${signal}: flushing and stopping (send it again to leave at once)`)
    agent.stop(`signal ${signal}`)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const summary = await agent.run()
    bar.done()
    const { spool, sent } = summary
    log(
      `${summary.stopped}: spooled ${summary.spooled.events} events in ${summary.spooled.records} records; sent ${sent.batches} batches (${sent.tombstones} tombstones), edge accepted ${sent.accepted} events; ${spool.depth} records wait in the spool; dropped ${spool.droppedEvents} events for space`,
    )
    process.stdout.write(`${JSON.stringify(summary)}\n`)
    if (summary.error) {
      log(summary.error)
      return 1
    }
    return 0
  } catch (err) {
    // The spool could not be opened (in use, unreadable state): nothing ran.
    log((err as Error).message)
    return 1
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
