#!/usr/bin/env node
// The `socbox` command users run. `socbox events`, which users and checks time on whole captures,
// starts straight from plain JavaScript: going through the TypeScript router first (type
// stripping of the router and the command's modules) cost ~0.1 s of every run. Every other
// command goes through the router, socbox.ts.
const [name, ...rest] = process.argv.slice(2)

if (name === 'events') {
  try {
    const { main } = await import('@socbox/sensor-native/cli/events')
    // Every line is written when main returns (the addon's writer threads are done, stderr
    // writes are synchronous): exiting at once skips Node's teardown, which frees the match
    // plan and the pipelines for nothing (~3 ms on a 2-packet capture, median of 25).
    process.exit(await main(rest))
  } catch (err) {
    // A bug should still read as a message, not a stack trace (as the router does).
    process.stderr.write(`socbox events: ${err instanceof Error ? err.message : String(err)}\n`)
    if (process.env.SOCBOX_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`)
    process.exitCode = 1
  }
} else {
  await import('./socbox.ts')
}
