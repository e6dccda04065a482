#!/usr/bin/env node
// The Node side of the `socbox` command (bin/socbox runs it for every command but `events`, and
// it is what `node bin/socbox.mjs` runs). `events` goes straight to the sensor's native program
// from plain JavaScript: going through the TypeScript router first (type stripping of the router
// and the command's modules) cost ~0.1 s of every run. Every other command goes through the
// router, socbox.ts.
const [name, ...rest] = process.argv.slice(2)

if (name === 'events') {
  try {
    const { main } = await import('@socbox/sensor-native/cli/events')
    // The program has written every line and exited when main returns.
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
