/**
 * The agent's settings from four places, strongest first: flags, environment, config file
 * (JSON with comments), defaults. Every problem names the key, where the value came from
 * (`flag --batch`, `env SOCBOX_BATCH`, `/etc/socbox.jsonc:7`) and how to fix it; all problems
 * are returned together, so one run shows them all.
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { extname, join } from 'node:path'
import {
  type Read,
  readCidrs,
  readDuration,
  readDurationOrOff,
  readInteger,
  readNumber,
  readSize,
  readText,
  readUrl,
} from './config-values.ts'
import { lineOfKey, parseJsonc } from './jsonc.ts'

export type SourceSpec =
  | { kind: 'capture'; path: string }
  | { kind: 'events'; path: string }
  | { kind: 'interface'; name: string }

export type AgentConfig = {
  edge: string
  token: string
  source: SourceSpec
  homeNets: string[] | undefined
  plan: string | undefined
  spoolDir: string
  spoolMaxBytes: number
  segmentBytes: number
  batchEvents: number
  batchIntervalMs: number
  replaySpeed: number
  syncIntervalMs: number
  shutdownGraceMs: number
  sendWindow: number
  /** 0 or absent: no heartbeats. */
  heartbeatIntervalMs?: number | undefined
  /** 0 or absent: no pack polling. */
  packPollMs?: number | undefined
  /** BPF filter for live capture (tcpdump syntax). */
  filter?: string | undefined
}

export type ConfigProblem = { key: string; from: string; problem: string; fix: string }
export type ConfigResult =
  | { ok: true; config: AgentConfig; origins: Record<string, string> }
  | { ok: false; problems: ConfigProblem[] }

type Key = {
  name: keyof AgentConfig
  /** One line for --help, with the default in parentheses. */
  doc: string
  flag: string
  env: string
  read: (raw: unknown) => Read<unknown>
  /** Absent means required. `null` means optional without a value. */
  fallback?: unknown
}

export const KEYS: Key[] = [
  {
    name: 'edge',
    doc: "base URL of the edge's ingest, e.g. http://127.0.0.1:8787 (required)",
    flag: 'edge',
    env: 'SOCBOX_EDGE',
    read: readUrl,
  },
  {
    name: 'token',
    doc: 'the sensor credential sbs1.<sensor>.<secret> (required)',
    flag: 'token',
    env: 'SOCBOX_TOKEN',
    read: readText,
  },
  {
    name: 'source',
    doc: 'capture file, events file (.ndjson) or interface (required)',
    flag: 'source',
    env: 'SOCBOX_SOURCE',
    read: readSource,
  },
  {
    name: 'homeNets',
    doc: 'CIDRs of the home networks, comma-separated',
    flag: 'home-net',
    env: 'SOCBOX_HOME_NETS',
    read: readCidrs,
    fallback: null,
  },
  {
    name: 'plan',
    doc: 'rule pack or match plan file; none for no native matching',
    flag: 'plan',
    env: 'SOCBOX_PLAN',
    read: readText,
    fallback: null,
  },
  {
    name: 'spoolDir',
    doc: 'spool directory (~/.local/state/socbox/spool)',
    flag: 'spool-dir',
    env: 'SOCBOX_SPOOL_DIR',
    read: readText,
    fallback: join(homedir(), '.local/state/socbox/spool'),
  },
  {
    name: 'spoolMaxBytes',
    doc: 'spool size cap (1GiB)',
    flag: 'spool-max',
    env: 'SOCBOX_SPOOL_MAX',
    read: readSize(64 * 1024),
    fallback: 1024 ** 3,
  },
  {
    name: 'segmentBytes',
    doc: 'spool segment size (8MiB)',
    flag: 'segment-size',
    env: 'SOCBOX_SEGMENT_SIZE',
    read: readSize(4096),
    fallback: 8 * 1024 ** 2,
  },
  {
    name: 'batchEvents',
    doc: 'events per batch at most (1000)',
    flag: 'batch',
    env: 'SOCBOX_BATCH',
    read: readInteger(1, 100_000),
    fallback: 1000,
  },
  {
    name: 'batchIntervalMs',
    doc: 'a batch waits at most this long (1s)',
    flag: 'batch-interval',
    env: 'SOCBOX_BATCH_INTERVAL',
    read: readDuration(10, 600_000),
    fallback: 1000,
  },
  {
    name: 'replaySpeed',
    doc: 'replay pace: 0 fastest, 1 capture pace (0)',
    flag: 'speed',
    env: 'SOCBOX_REPLAY_SPEED',
    read: readNumber(0, 1e6),
    fallback: 0,
  },
  {
    name: 'syncIntervalMs',
    doc: 'fsync the spool this often (200ms)',
    flag: 'sync-interval',
    env: 'SOCBOX_SYNC_INTERVAL',
    read: readDuration(1, 60_000),
    fallback: 200,
  },
  {
    name: 'shutdownGraceMs',
    doc: 'on SIGINT/SIGTERM, time to deliver what is queued (3s)',
    flag: 'grace',
    env: 'SOCBOX_SHUTDOWN_GRACE',
    read: readDuration(0, 600_000),
    fallback: 3000,
  },
  {
    name: 'sendWindow',
    doc: 'requests in flight (4)',
    flag: 'window',
    env: 'SOCBOX_SEND_WINDOW',
    read: readInteger(1, 64),
    fallback: 4,
  },
  {
    name: 'heartbeatIntervalMs',
    doc: 'send a health heartbeat this often; 0 for none (5s)',
    flag: 'heartbeat-interval',
    env: 'SOCBOX_HEARTBEAT_INTERVAL',
    read: readDurationOrOff(100, 600_000),
    fallback: 5000,
  },
  {
    name: 'packPollMs',
    doc: 'ask the edge for a newer rule pack this often; 0 for never (1m)',
    flag: 'pack-poll',
    env: 'SOCBOX_PACK_POLL',
    read: readDurationOrOff(1000, 86_400_000),
    fallback: 60_000,
  },
  {
    name: 'filter',
    doc: 'BPF filter for live capture, tcpdump syntax (needs libpcap at run time)',
    flag: 'filter',
    env: 'SOCBOX_FILTER',
    read: readText,
    fallback: null,
  },
]

export type ConfigInput = {
  flags: Record<string, string | undefined>
  env: Record<string, string | undefined>
  /** `--config`, else `SOCBOX_CONFIG`; no file is fine. */
  configPath?: string | undefined
}

export function loadConfig(input: ConfigInput): ConfigResult {
  const problems: ConfigProblem[] = []
  const file = readConfigFile(input.configPath, problems)
  const config: Record<string, unknown> = {}
  const origins: Record<string, string> = {}
  for (const key of KEYS) {
    const flag = input.flags[key.flag]
    const env = input.env[key.env]
    let raw: unknown
    let from: string
    if (flag !== undefined) [raw, from] = [flag, `flag --${key.flag}`]
    else if (env !== undefined && env !== '') [raw, from] = [env, `env ${key.env}`]
    else if (file && key.name in file.values) {
      raw = file.values[key.name]
      from = `${file.path}:${lineOfKey(file.text, key.name)}`
    } else if (key.fallback !== undefined) {
      config[key.name] = key.fallback ?? undefined
      origins[key.name] = 'default'
      continue
    } else {
      problems.push({
        key: key.name,
        from: 'nowhere',
        problem: 'is required',
        fix: `pass --${key.flag}, set ${key.env}, or add "${key.name}" to the config file`,
      })
      continue
    }
    const read = key.read(raw)
    if (read.ok) {
      config[key.name] = read.value
      origins[key.name] = from
    } else problems.push({ key: key.name, from, problem: read.problem, fix: read.fix })
  }
  const source = config.source as SourceSpec | undefined
  if (config.filter !== undefined && source && source.kind !== 'interface') {
    problems.push({
      key: 'filter',
      from: origins.filter ?? 'nowhere',
      problem: 'applies to live capture only, and the source is a file',
      fix: 'capture from an interface (--interface eth0), or drop the filter',
    })
  }
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, config: config as AgentConfig, origins }
}

export function describeProblem(p: ConfigProblem): string {
  return `${p.key} (from ${p.from}): ${p.problem}; ${p.fix}`
}

type ConfigFile = { path: string; text: string; values: Record<string, unknown> }

function readConfigFile(
  path: string | undefined,
  problems: ConfigProblem[],
): ConfigFile | undefined {
  if (path === undefined) return undefined
  let source: string
  try {
    source = readFileSync(path, 'utf8')
  } catch (err) {
    problems.push({
      key: 'config',
      from: path,
      problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      fix: 'check the path given to --config or SOCBOX_CONFIG',
    })
    return undefined
  }
  const parsed = parseJsonc(source)
  if (!parsed.ok) {
    problems.push({
      key: 'config',
      from: `${path}:${parsed.line}`,
      problem: parsed.message,
      fix: 'the file is JSON with // or /* */ comments',
    })
    return undefined
  }
  const values = parsed.value
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    problems.push({
      key: 'config',
      from: path,
      problem: 'is not a JSON object',
      fix: 'write { "edge": "…", … }',
    })
    return undefined
  }
  const known = new Set<string>(KEYS.map((k) => k.name))
  for (const name of Object.keys(values)) {
    if (known.has(name)) continue
    problems.push({
      key: name,
      from: `${path}:${lineOfKey(parsed.text, name)}`,
      problem: 'is not a setting',
      fix: `known settings: ${[...known].join(', ')}`,
    })
  }
  return { path, text: parsed.text, values: values as Record<string, unknown> }
}

/**
 * A capture file (.pcap, .pcapng, .cap), an events file as `socbox events` prints it
 * (.ndjson, .jsonl), or else the name of a network interface.
 */
export function readSource(raw: unknown): Read<SourceSpec> {
  const text = readText(raw)
  if (!text.ok) return text
  const value = text.value
  const ext = extname(value).toLowerCase()
  const isFile =
    ['.pcap', '.pcapng', '.cap', '.ndjson', '.jsonl'].includes(ext) || value.includes('/')
  if (!isFile) {
    if (!/^[A-Za-z0-9_.:-]{1,15}$/.test(value)) {
      return {
        ok: false,
        problem: `"${value}" is neither a capture file nor an interface name`,
        fix: 'give e.g. eth0 or a .pcap file',
      }
    }
    return { ok: true, value: { kind: 'interface', name: value } }
  }
  if (!existsSync(value)) {
    return {
      ok: false,
      problem: `${value} does not exist`,
      fix: 'check the path of the capture file',
    }
  }
  const kind = ext === '.ndjson' || ext === '.jsonl' ? 'events' : 'capture'
  return { ok: true, value: { kind, path: value } }
}
