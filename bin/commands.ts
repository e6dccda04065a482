/** The subcommands of `socbox`, each owned by one workspace (see ARCHITECTURE.md). */
export type Command = { name: string; module: string; summary: string }

export const COMMANDS: Command[] = [
  {
    name: 'events',
    module: '@socbox/sensor-native/cli/events',
    summary: 'decode a pcap/pcapng file and print its events as NDJSON',
  },
  {
    name: 'replay',
    module: '@socbox/sensor-native/cli/replay',
    summary: 'send the events of a capture to an edge (--edge URL --token TOKEN)',
  },
  {
    name: 'detect',
    module: '@socbox/sensor-native/cli/detect',
    summary: 'run the sensor and the default rule pack over captures and print alerts',
  },
  {
    name: 'run',
    module: '@socbox/sensor-native/cli/run',
    summary: 'run the sensor agent: capture or replay, spool, deliver to the edge',
  },
  {
    name: 'rules',
    module: '@socbox/dsl/cli/rules',
    summary: 'check, test and format rule files (rules check|test|fmt PATH)',
  },
]

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return `usage: socbox <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'socbox <command> --help' for a command's options.\n`
}
