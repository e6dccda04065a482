// Where the rules commands write, so tests can capture it. Results go to stdout, problems to stderr.
export type CliIo = { out: (text: string) => void; err: (text: string) => void }

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}

/** Runs a command body so that a failure reads as one line, never a stack trace. */
export function guarded(name: string, io: CliIo, body: () => number): number {
  try {
    return body()
  } catch (error) {
    io.err(`socbox rules ${name}: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
